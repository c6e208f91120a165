using System;
using System.Collections.Generic;
using SessionCore.Internal;

namespace SessionCore.Jwt;

/// <summary>The validated, immutable snapshot of <see cref="AccessTokenOptions"/>.</summary>
internal sealed class AccessTokenSettings
{
    private static readonly string[] s_reserved = ["iss", "sub", "aud", "exp", "iat", "nbf", "jti", "sid", AccessTokenClaims.SecurityEpochClaimName, "typ", "cnf", "client_id"];

    private AccessTokenSettings(AccessTokenOptions o, string issuer, string audience, string[] fragments)
    {
        Issuer = issuer;
        IssuerUtf8 = System.Text.Encoding.UTF8.GetBytes(issuer);
        Audience = audience;
        AudienceUtf8 = System.Text.Encoding.UTF8.GetBytes(audience);
        Lifetime = o.Lifetime;
        ClockSkew = o.ClockSkew;
        MaxTokenLength = o.MaxTokenLength;
        ValidationMode = o.ValidationMode;
        CheckUserSecurityEpoch = o.CheckUserSecurityEpoch;
        SignatureCacheSize = o.SignatureCacheSize;
        ForbiddenFragments = fragments;
    }

    public string Issuer { get; }

    public byte[] IssuerUtf8 { get; }

    public string Audience { get; }

    public byte[] AudienceUtf8 { get; }

    public TimeSpan Lifetime { get; }

    public TimeSpan ClockSkew { get; }

    public int MaxTokenLength { get; }

    public AccessTokenValidationMode ValidationMode { get; }

    public bool CheckUserSecurityEpoch { get; }

    public int SignatureCacheSize { get; }

    public string[] ForbiddenFragments { get; }

    public static AccessTokenSettings Create(AccessTokenOptions options)
    {
        Throw.IfNull(options);
        if (string.IsNullOrWhiteSpace(options.Issuer))
        {
            throw new ArgumentException(Error.IssuerMissing, nameof(options));
        }

        if (string.IsNullOrWhiteSpace(options.Audience))
        {
            throw new ArgumentException(Error.AudienceMissing, nameof(options));
        }

        Throw.IfOutOfRange(options.Lifetime, AccessTokenOptions.MinLifetime, AccessTokenOptions.MaxLifetime, "options.Lifetime");
        Throw.IfOutOfRange(options.ClockSkew, TimeSpan.Zero, AccessTokenOptions.MaxClockSkew, "options.ClockSkew");
        Throw.IfOutOfRange(options.MaxTokenLength, 512, 65536, "options.MaxTokenLength");
        Throw.IfOutOfRange(options.SignatureCacheSize, 0, 100_000, "options.SignatureCacheSize");
        if (!Enum.IsDefined(options.ValidationMode))
        {
            throw new ArgumentOutOfRangeException(nameof(options), Error.OutOfRange(0, 1));
        }

        List<string> fragments = [];
        foreach (string fragment in options.ForbiddenClaimNameFragments)
        {
            string normalized = Normalize(fragment ?? string.Empty);
            if (normalized.Length == 0)
            {
                throw new ArgumentException(Error.ForbiddenFragmentEmpty, nameof(options));
            }

            fragments.Add(normalized);
        }

        return new AccessTokenSettings(options, options.Issuer, options.Audience, [.. fragments]);
    }

    /// <summary>Throws when a custom claim name is empty, reserved or looks like it carries a secret.</summary>
    public void CheckCustomClaimName(string name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException(Error.ClaimNameEmpty, nameof(name));
        }

        if (Array.IndexOf(s_reserved, name) >= 0)
        {
            throw new ArgumentException(Error.ClaimNameReserved, nameof(name));
        }

        // Long fragments match anywhere ("userPasswordHash"); short ones ("pwd", "ssn", "pin") only as whole
        // words or runs of words, so "className" or "shipping" are not refused.
        string normalized = Normalize(name);
        List<string> words = SplitWords(name);
        foreach (string fragment in ForbiddenFragments)
        {
            if (fragment.Length >= 6 ? normalized.Contains(fragment, StringComparison.Ordinal) : IsRunOfWords(words, fragment))
            {
                throw new ArgumentException(Error.ClaimNameSensitive, nameof(name));
            }
        }
    }

    private static bool IsRunOfWords(List<string> words, string fragment)
    {
        for (int start = 0; start < words.Count; start++)
        {
            string run = string.Empty;
            for (int end = start; end < words.Count && run.Length < fragment.Length; end++)
            {
                run += words[end];
                if (run == fragment)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static List<string> SplitWords(string name)
    {
        List<string> words = [];
        System.Text.StringBuilder word = new();
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            bool separator = !char.IsLetterOrDigit(c);
            bool camelBoundary = i > 0 && char.IsUpper(c) && char.IsLower(name[i - 1]);
            if ((separator || camelBoundary) && word.Length > 0)
            {
                words.Add(word.ToString());
                word.Clear();
            }

            if (!separator)
            {
                word.Append(char.ToLowerInvariant(c));
            }
        }

        if (word.Length > 0)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    private static string Normalize(string name)
    {
        System.Text.StringBuilder builder = new(name.Length);
        foreach (char c in name)
        {
            if (c is not ('_' or '-' or '.' or ' '))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        return builder.ToString();
    }
}
