using System;
using FsCheck;
using FsCheck.Fluent;
using SessionCore.Tokens;

namespace SessionCore.Tests.TestSupport;

/// <summary>
/// Generators of strings close to a token format (a valid value with one character replaced, inserted or
/// deleted, a wrong prefix, another last character), which random strings almost never are, and an oracle
/// for canonical base64url written from the RFC 4648 rules rather than from the library.
/// </summary>
internal static class NearFormat
{
    public const string Base64UrlAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    // Mostly the alphabet itself (so most edits stay well-formed), plus standard base64, padding, a JWS
    // separator, whitespace and non-ASCII.
    private static readonly char[] s_characters = [.. Base64UrlAlphabet, '+', '/', '=', '.', ' ', '\t', '%', 'é', '\0'];

    /// <summary>How an <see cref="Edit"/> changes the text.</summary>
    public enum EditKind
    {
        Replace,
        Insert,
        Delete,
    }

    /// <summary>Gets edits of one character; the position is reduced into the range the edit is applied to.</summary>
    public static Gen<Edit> Edits { get; } =
        Gen.Elements(EditKind.Replace, EditKind.Insert, EditKind.Delete)
            .Zip(Gen.Choose(0, 10_000), (kind, position) => (kind, position))
            .Zip(Gen.Elements(s_characters), (e, c) => new Edit(e.kind, e.position, c));

    /// <summary>Strings around an opaque token format: minted values, one edit anywhere, another prefix, another last character.</summary>
    public static Gen<string> AroundOpaqueToken(string prefix, Func<TokenSource, string> mint)
    {
        Gen<string> minted = Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>(), 32).Select(bytes => mint(FromBytes(bytes)));
        string[] prefixes = ["sc_", "scr_", "SC_", "SCR_", "Sc_", "sc-", "scr-", "sc", "scr", "", "s_", "xsc_", "sc__", " sc_", "scr_ ", "sc_scr_"];
        return Gen.OneOf(
            minted,
            minted.Zip(Edits, (token, edit) => edit.ApplyWithin(token, 0, token.Length)),
            minted.Zip(Gen.Elements(prefixes), (token, other) => other + token[prefix.Length..]),
            minted.Zip(Gen.Elements(Base64UrlAlphabet.ToCharArray()), (token, last) => token[..^1] + last));
    }

    /// <summary>The exact format of an opaque token: the prefix, then 43 characters of canonical base64url (32 bytes).</summary>
    public static bool IsCanonicalOpaqueToken(string text, string prefix) =>
        text.Length == prefix.Length + 43 && text.StartsWith(prefix, StringComparison.Ordinal) && IsCanonicalBase64Url(text[prefix.Length..]);

    /// <summary>Unpadded base64url in its only encoding: alphabet characters, no impossible length, unused trailing bits zero.</summary>
    public static bool IsCanonicalBase64Url(string text)
    {
        if (text.Length == 0 || text.Length % 4 == 1)
        {
            return false;
        }

        foreach (char c in text)
        {
            if (!Base64UrlAlphabet.Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }

        // Two trailing characters carry one byte (4 unused bits), three carry two bytes (2 unused bits).
        int last = Base64UrlAlphabet.IndexOf(text[^1], StringComparison.Ordinal);
        return (text.Length % 4) switch
        {
            2 => last % 16 == 0,
            3 => last % 4 == 0,
            _ => true,
        };
    }

    private static TokenSource FromBytes(byte[] bytes) => new(span =>
    {
        for (int i = 0; i < span.Length; i++)
        {
            span[i] = bytes[i % bytes.Length];
        }
    });

    /// <summary>One character replaced, inserted or deleted.</summary>
    public readonly record struct Edit(EditKind Kind, int Position, char Character)
    {
        /// <summary>Applies the edit at a position inside [start, end) (for an insertion, [start, end]).</summary>
        public string ApplyWithin(string text, int start, int end) => Kind switch
        {
            EditKind.Insert => text.Insert(start + (Position % (end - start + 1)), Character.ToString()),
            EditKind.Delete => text.Remove(start + (Position % (end - start)), 1),
            _ => string.Concat(text.AsSpan(0, start + (Position % (end - start))), Character.ToString(), text.AsSpan(start + (Position % (end - start)) + 1)),
        };

        /// <inheritdoc/>
        public override string ToString() => $"{Kind} {Position} U+{(int)Character:X4}";
    }
}
