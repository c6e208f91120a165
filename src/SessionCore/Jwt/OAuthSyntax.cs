using System;

namespace SessionCore.Jwt;

/// <summary>The value syntaxes of RFC 6749 Appendix A that access tokens carry.</summary>
internal static class OAuthSyntax
{
    /// <summary>The longest client identifier accepted, in characters (RFC 6749 sets no limit; tokens need one).</summary>
    public const int MaxClientIdLength = 256;

    /// <summary>The longest scope value accepted, in characters.</summary>
    public const int MaxScopeLength = 2048;

    /// <summary>The longest authentication method or context class reference accepted, in characters.</summary>
    public const int MaxAuthenticationValueLength = 256;

    /// <summary>The most authentication methods (<c>amr</c> values) one token carries.</summary>
    public const int MaxAuthenticationMethods = 16;

    /// <summary>RFC 6749 A.1: <c>client-id = *VSCHAR</c> (0x20 to 0x7E); here also non-empty, bounded and not only spaces.</summary>
    public static bool IsClientId(string? value) =>
        value is { Length: > 0 and <= MaxClientIdLength } && !string.IsNullOrWhiteSpace(value) && IsAll(value, 0x20, 0x7E);

    /// <summary>RFC 6749 §3.3 and A.4: scope tokens of NQCHAR (0x21, 0x23 to 0x5B, 0x5D to 0x7E) separated by single spaces.</summary>
    public static bool IsScope(string? value)
    {
        if (value is not { Length: > 0 and <= MaxScopeLength } || value[0] == ' ' || value[^1] == ' ')
        {
            return false;
        }

        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c == ' ' ? value[i - 1] == ' ' : !IsScopeTokenChar(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>One scope token: NQCHAR only, no space.</summary>
    public static bool IsScopeToken(string? value) => value is { Length: > 0 and <= MaxScopeLength } && !value.Contains(' ', StringComparison.Ordinal) && IsScope(value);

    /// <summary>An <c>acr</c> or <c>amr</c> value: printable ASCII, non-empty, bounded.</summary>
    public static bool IsAuthenticationValue(string? value) =>
        value is { Length: > 0 and <= MaxAuthenticationValueLength } && !string.IsNullOrWhiteSpace(value) && IsAll(value, 0x20, 0x7E);

    /// <summary>Whether the space-separated <paramref name="scope"/> contains the token <paramref name="wanted"/>.</summary>
    public static bool ScopeContains(ReadOnlySpan<char> scope, ReadOnlySpan<char> wanted)
    {
        foreach (Range range in scope.Split(' '))
        {
            if (scope[range].SequenceEqual(wanted))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsScopeTokenChar(char c) => c == 0x21 || (c >= 0x23 && c <= 0x5B) || (c >= 0x5D && c <= 0x7E);

    private static bool IsAll(string value, int min, int max)
    {
        foreach (char c in value)
        {
            if (c < min || c > max)
            {
                return false;
            }
        }

        return true;
    }
}
