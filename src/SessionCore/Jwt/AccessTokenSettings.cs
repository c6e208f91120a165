using System;
using System.Collections.Generic;
using SessionCore.Internal;

namespace SessionCore.Jwt;

/// <summary>The validated, immutable snapshot of <see cref="AccessTokenOptions"/>.</summary>
internal sealed class AccessTokenSettings
{
    // Written by the issuer (RFC 7519 §4.1, RFC 9068 §2.2, SessionCore's sid and epoch) or kept for it ("cnf",
    // RFC 7800, for sender-constrained tokens; "typ" so a payload never looks like a header).
    private static readonly string[] s_reserved =
    [
        "iss", "sub", "aud", "exp", "iat", "nbf", "jti", "client_id", "scope", "auth_time", "acr", "amr",
        "sid", AccessTokenClaims.SecurityEpochClaimName, "typ", "cnf",
    ];

    private AccessTokenSettings(AccessTokenOptions o, string issuer, string audience, string[] fragments)
    {
        DefaultClientId = o.DefaultClientId;
        DefaultClientIdUtf8 = o.DefaultClientId is null ? null : System.Text.Encoding.UTF8.GetBytes(o.DefaultClientId);
        AcrByLevel = new Dictionary<int, string>(o.AuthenticationContextClassByLevel);
        AmrByLevel = new Dictionary<int, string[]>();
        foreach (KeyValuePair<int, IReadOnlyList<string>> entry in o.AuthenticationMethodsByLevel)
        {
            AmrByLevel[entry.Key] = [.. entry.Value];
        }

        RequireClientId = o.RequireClientId || o.AllowedClientIds.Count > 0;
        AllowedClientIds = [.. o.AllowedClientIds];
        RequiredScopes = [.. o.RequiredScopes];
        Issuer = issuer;
        IssuerUtf8 = System.Text.Encoding.UTF8.GetBytes(issuer);
        Audience = audience;
        AudienceUtf8 = System.Text.Encoding.UTF8.GetBytes(audience);
        Lifetime = o.Lifetime;
        ClockSkew = o.ClockSkew;
        MaxTokenLength = o.MaxTokenLength;
        ValidationMode = o.ValidationMode;
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

    public int SignatureCacheSize { get; }

    public string[] ForbiddenFragments { get; }

    /// <summary>Gets the <c>client_id</c> for requests that name none; <see langword="null"/> only in a validator-only configuration.</summary>
    public string? DefaultClientId { get; }

    public byte[]? DefaultClientIdUtf8 { get; }

    public Dictionary<int, string> AcrByLevel { get; }

    public Dictionary<int, string[]> AmrByLevel { get; }

    public bool RequireClientId { get; }

    public string[] AllowedClientIds { get; }

    public string[] RequiredScopes { get; }

    public static AccessTokenSettings Create(AccessTokenOptions options)
    {
        Throw.IfNull(options);
        OptionProblems problems = new();
        if (string.IsNullOrWhiteSpace(options.Issuer))
        {
            problems.Add(new ArgumentException(Error.IssuerMissing, nameof(options)));
        }

        if (string.IsNullOrWhiteSpace(options.Audience))
        {
            problems.Add(new ArgumentException(Error.AudienceMissing, nameof(options)));
        }

        _ = problems.InRange(options.Lifetime, AccessTokenOptions.MinLifetime, AccessTokenOptions.MaxLifetime, "options.Lifetime");
        _ = problems.InRange(options.ClockSkew, TimeSpan.Zero, AccessTokenOptions.MaxClockSkew, "options.ClockSkew");
        _ = problems.InRange(options.MaxTokenLength, 512, 65536, "options.MaxTokenLength");
        _ = problems.InRange(options.SignatureCacheSize, 0, 100_000, "options.SignatureCacheSize");
        if (!Enum.IsDefined(options.ValidationMode))
        {
            problems.Add(new ArgumentOutOfRangeException(nameof(options), Error.OutOfRange(0, 1)));
        }

        List<string> fragments = [];
        foreach (string fragment in options.ForbiddenClaimNameFragments)
        {
            string normalized = Normalize(fragment ?? string.Empty);
            if (normalized.Length == 0)
            {
                problems.Add(new ArgumentException(Error.ForbiddenFragmentEmpty, nameof(options)));
            }

            fragments.Add(normalized);
        }

        if (options.DefaultClientId is not null && !OAuthSyntax.IsClientId(options.DefaultClientId))
        {
            problems.Add(new ArgumentException(Error.ClientIdInvalid, nameof(options)));
        }

        foreach (string clientId in options.AllowedClientIds)
        {
            if (!OAuthSyntax.IsClientId(clientId))
            {
                problems.Add(new ArgumentException(Error.ClientIdInvalid, nameof(options)));
                break;
            }
        }

        foreach (string scope in options.RequiredScopes)
        {
            if (!OAuthSyntax.IsScopeToken(scope))
            {
                problems.Add(new ArgumentException(Error.ScopeInvalid, nameof(options)));
                break;
            }
        }

        foreach (string acr in options.AuthenticationContextClassByLevel.Values)
        {
            if (!OAuthSyntax.IsAuthenticationValue(acr))
            {
                problems.Add(new ArgumentException(Error.AuthenticationContextClassInvalid, nameof(options)));
                break;
            }
        }

        foreach (IReadOnlyList<string> methods in options.AuthenticationMethodsByLevel.Values)
        {
            if (!IsValidAuthenticationMethods(methods))
            {
                problems.Add(new ArgumentException(Error.AuthenticationMethodsInvalid, nameof(options)));
                break;
            }
        }

        problems.ThrowIfAny(nameof(options));
        return new AccessTokenSettings(options, options.Issuer!, options.Audience!, [.. fragments]);   // not null: checked above
    }

    /// <summary>Validates the options for issuing: everything <see cref="Create"/> checks, and a default <c>client_id</c>.</summary>
    public static AccessTokenSettings CreateForIssuer(AccessTokenOptions options)
    {
        AccessTokenSettings settings = Create(options);
        if (settings.DefaultClientId is null)
        {
            throw new ArgumentException(Error.DefaultClientIdMissing, nameof(options));
        }

        return settings;
    }

    /// <summary>1 to 16 <c>amr</c> values, each printable ASCII.</summary>
    public static bool IsValidAuthenticationMethods(IReadOnlyList<string>? methods)
    {
        if (methods is not { Count: > 0 and <= OAuthSyntax.MaxAuthenticationMethods })
        {
            return false;
        }

        foreach (string method in methods)
        {
            if (!OAuthSyntax.IsAuthenticationValue(method))
            {
                return false;
            }
        }

        return true;
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
