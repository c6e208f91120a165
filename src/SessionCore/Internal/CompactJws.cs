using System;

namespace SessionCore.Internal;

/// <summary>
/// The three parts of a JWS in compact serialisation (RFC 7515 §7.1), split without decoding: the one shape check that
/// access tokens and proof JWTs (DPoP, DBSC) share before each applies its own rules.
/// </summary>
internal readonly ref struct CompactJws
{
    private CompactJws(ReadOnlySpan<byte> token, int dot1, int dot2)
    {
        HeaderText = token[..dot1];
        PayloadText = token[(dot1 + 1)..dot2];
        SignatureText = token[(dot2 + 1)..];
        SigningInput = token[..dot2];
        HeaderLength = Base64UrlStrict.GetDecodedLength(HeaderText.Length);
        PayloadLength = Base64UrlStrict.GetDecodedLength(PayloadText.Length);
        SignatureLength = Base64UrlStrict.GetDecodedLength(SignatureText.Length);
    }

    public ReadOnlySpan<byte> HeaderText { get; }

    public ReadOnlySpan<byte> PayloadText { get; }

    public ReadOnlySpan<byte> SignatureText { get; }

    /// <summary>Gets the header and payload text with the dot between them: what the signature covers.</summary>
    public ReadOnlySpan<byte> SigningInput { get; }

    public int HeaderLength { get; }

    public int PayloadLength { get; }

    public int SignatureLength { get; }

    /// <summary>Gets the bytes the three parts decode to, together.</summary>
    public int DecodedLength => HeaderLength + PayloadLength + SignatureLength;

    /// <summary>
    /// Splits <paramref name="token"/> at exactly two dots into three non-empty parts whose lengths are valid unpadded
    /// base64url lengths; false for anything else. One linear pass; nothing is decoded.
    /// </summary>
    public static bool TrySplit(ReadOnlySpan<byte> token, out CompactJws jws)
    {
        jws = default;
        int dot1 = token.IndexOf((byte)'.');
        int dot2 = dot1 < 0 ? -1 : token[(dot1 + 1)..].IndexOf((byte)'.');
        if (dot2 < 0)
        {
            return false;
        }

        dot2 += dot1 + 1;
        if (token[(dot2 + 1)..].Contains((byte)'.'))
        {
            return false;
        }

        jws = new CompactJws(token, dot1, dot2);
        return jws.HeaderLength > 0 && jws.PayloadLength > 0 && jws.SignatureLength > 0;
    }
}
