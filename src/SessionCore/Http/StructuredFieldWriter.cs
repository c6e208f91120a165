using System;
using System.Text;

namespace SessionCore.Http;

/// <summary>
/// Serialisation of the RFC 9651 (Structured Field Values) subset that SessionCore writes: tokens, strings,
/// keys, parameters and inner lists (§4.1). Every method expects values already checked with the
/// <c>Is…</c> predicates; the public writers check them and throw on caller misuse.
/// </summary>
internal static class StructuredFieldWriter
{
    /// <summary>sf-string content (§3.3.3): printable ASCII, %x20-7E; '"' and '\' are escaped when written.</summary>
    public static bool IsStringContent(ReadOnlySpan<char> value)
    {
        foreach (char c in value)
        {
            if (c < 0x20 || c > 0x7E)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>sf-token (§3.3.4): ( ALPHA / "*" ) *( tchar / ":" / "/" ).</summary>
    public static bool IsToken(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty || !(IsAlpha(value[0]) || value[0] == '*'))
        {
            return false;
        }

        foreach (char c in value[1..])
        {
            if (!(HttpGrammar.IsTokenChar(c) || c == ':' || c == '/'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>key (§3.1.2): ( lcalpha / "*" ) *( lcalpha / DIGIT / "_" / "-" / "." / "*" ).</summary>
    public static bool IsKey(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty || !(value[0] is (>= 'a' and <= 'z') or '*'))
        {
            return false;
        }

        foreach (char c in value[1..])
        {
            if (!IsKeyChar(c))
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsKeyChar(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-' or '.' or '*';

    public static bool IsAlpha(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z');

    public static StringBuilder AppendString(StringBuilder builder, string value)
    {
        builder.Append('"');
        foreach (char c in value)
        {
            if (c is '"' or '\\')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.Append('"');
    }

    public static StringBuilder AppendStringParameter(StringBuilder builder, string key, string value) =>
        AppendString(builder.Append(';').Append(key).Append('='), value);
}
