using System;
using System.Security.Cryptography;
using System.Text.Json;
using SessionCore.Internal;

namespace SessionCore.Keys;

/// <summary>
/// Strict import of the public JWK a proof carries (RFC 7517; RFC 9449 §4.2 "MUST NOT contain a private key"):
/// public members only, the key type pinned to the proof's algorithm, coordinates of the exact size in canonical
/// base64url and on the curve (or, for RSA, a canonical modulus of 2048 to 4096 bits and an odd exponent of at least
/// 3), and the RFC 7638 thumbprint of the key.
/// </summary>
/// <remarks>
/// <para>
/// The caller has already checked the enclosing JSON strictly (<see cref="StrictJson.IsObjectWithUniqueMembers"/>):
/// no duplicate member anywhere, valid UTF-8. Optional members are held to their meaning: <c>alg</c> must name the
/// proof's algorithm (or the other name of the same signature), <c>use</c> must be <c>sig</c>, <c>key_ops</c> may
/// only list <c>sign</c> and <c>verify</c>; <c>kid</c> and unknown members are ignored.
/// </para>
/// <para>
/// The thumbprint is computed from the validated member text itself, which canonical base64url makes the only
/// spelling of the key, so a cache hit costs one SHA-256 and no parsing of the key. An RSA <c>n</c> longer than a
/// 4096-bit modulus is refused before it is decoded.
/// </para>
/// </remarks>
internal static class PublicJwk
{
    private const int CoordinateTextLength = 43; // 32 bytes, base64url without padding
    private const int MaxMemberLength = 64;
    private const int MaxModulusTextLength = 683; // 512 bytes, base64url without padding
    private const int MaxExponentTextLength = 6; // 4 bytes

    /// <summary>Imports the key of <paramref name="jwk"/> (one JSON object) for <paramref name="algorithm"/>.</summary>
    public static ProofJwsStatus TryImport(ReadOnlySpan<byte> jwk, ProofAlgorithm algorithm, ProofKeyCache? cache, out SigningKey? key)
    {
        key = null;
        Span<byte> kty = stackalloc byte[MaxMemberLength];
        Span<byte> crv = stackalloc byte[MaxMemberLength];
        Span<byte> x = stackalloc byte[MaxMemberLength];
        Span<byte> y = stackalloc byte[MaxMemberLength];
        Span<byte> scratch = stackalloc byte[MaxMemberLength];
        Span<byte> n = stackalloc byte[MaxModulusTextLength];
        Span<byte> e = stackalloc byte[MaxMemberLength];
        int ktyLength = -1, crvLength = -1, xLength = -1, yLength = -1, nLength = -1, eLength = -1;
        bool hasPrivate = false, invalid = false, algorithmMismatch = false;

        Utf8JsonReader reader = new(jwk, StrictJson.ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return ProofJwsStatus.InvalidKey;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            Member member = Classify(ref reader);
            reader.Read();
            switch (member)
            {
                case Member.Kty:
                    invalid |= !StrictJson.TryCopyString(ref reader, kty, out ktyLength);
                    break;
                case Member.Crv:
                    invalid |= !StrictJson.TryCopyString(ref reader, crv, out crvLength);
                    break;
                case Member.X:
                    invalid |= !StrictJson.TryCopyString(ref reader, x, out xLength);
                    break;
                case Member.Y:
                    invalid |= !StrictJson.TryCopyString(ref reader, y, out yLength);
                    break;
                case Member.N:
                    invalid |= !StrictJson.TryCopyString(ref reader, n, out nLength);
                    break;
                case Member.E:
                    invalid |= !StrictJson.TryCopyString(ref reader, e, out eLength);
                    break;
                case Member.Alg:
                    if (StrictJson.TryCopyString(ref reader, scratch, out int algLength))
                    {
                        algorithmMismatch |= !algorithm.IsCompatibleJwkAlgorithm(scratch[..algLength]);
                    }
                    else
                    {
                        // A string too long for any algorithm name names none we accept.
                        invalid |= reader.TokenType != JsonTokenType.String;
                        algorithmMismatch |= reader.TokenType == JsonTokenType.String;
                    }

                    break;
                case Member.Use:
                    invalid |= !StrictJson.TryCopyString(ref reader, scratch, out int useLength) || !scratch[..useLength].SequenceEqual("sig"u8);
                    break;
                case Member.KeyOps:
                    invalid |= !HasOnlySignatureOperations(ref reader, scratch);
                    break;
                case Member.Kid:
                    invalid |= reader.TokenType != JsonTokenType.String;
                    break;
                case Member.Private:
                    hasPrivate = true;
                    break;
                default:
                    break;
            }

            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                reader.Skip();
            }
        }

        if (hasPrivate)
        {
            return ProofJwsStatus.PrivateKey;
        }

        ProofKeyType keyType = invalid || ktyLength < 0 ? ProofKeyType.Unsupported
            : crvLength < 0 ? (kty[..ktyLength].SequenceEqual("RSA"u8) ? ProofKeyType.Rsa : ProofKeyType.Unsupported)
            : KeyTypeOf(kty[..ktyLength], crv[..crvLength]);
        if (keyType == ProofKeyType.Unsupported)
        {
            return ProofJwsStatus.InvalidKey;
        }

        if (keyType != algorithm.KeyType || algorithmMismatch)
        {
            return ProofJwsStatus.AlgorithmMismatch;
        }

        if (keyType == ProofKeyType.Rsa)
        {
            return xLength >= 0 || yLength >= 0 ? ProofJwsStatus.InvalidKey : TryImportRsa(n, nLength, e, eLength, algorithm, cache, out key);
        }

        bool isEc = keyType == ProofKeyType.EcP256;
        if (!IsCoordinate(x, xLength) || (isEc ? !IsCoordinate(y, yLength) : yLength >= 0))
        {
            return ProofJwsStatus.InvalidKey;
        }

        Span<byte> thumbprint = stackalloc byte[SHA256.HashSizeInBytes];
        Thumbprint(keyType, x[..xLength], isEc ? y[..yLength] : default, thumbprint);
        if (cache?.Find(thumbprint, algorithm.Signing) is { } cached)
        {
            key = cached;
            return ProofJwsStatus.Valid;
        }

        key = Import(algorithm.Signing, keyType, x[..xLength], isEc ? y[..yLength] : default);
        if (key is null)
        {
            return ProofJwsStatus.InvalidKey;
        }

        cache?.Add(thumbprint, key);
        return ProofJwsStatus.Valid;
    }

    /// <summary>RFC 7518 §6.3.1: <c>n</c> and <c>e</c> as canonical Base64urlUInt, held to <see cref="RsaSigningAlgorithm.IsValidPublicKey"/>.</summary>
    private static ProofJwsStatus TryImportRsa(ReadOnlySpan<byte> nText, int nLength, ReadOnlySpan<byte> eText, int eLength, ProofAlgorithm algorithm, ProofKeyCache? cache, out SigningKey? key)
    {
        key = null;
        if (nLength <= 0 || eLength <= 0 || eLength > MaxExponentTextLength
            || !Base64UrlStrict.IsCanonical(nText[..nLength]) || !Base64UrlStrict.IsCanonical(eText[..eLength]))
        {
            return ProofJwsStatus.InvalidKey;
        }

        Span<byte> thumbprint = stackalloc byte[SHA256.HashSizeInBytes];
        RsaThumbprint(nText[..nLength], eText[..eLength], thumbprint);
        if (cache?.Find(thumbprint, algorithm.Signing) is { } cached)
        {
            key = cached;
            return ProofJwsStatus.Valid;
        }

        byte[] n = new byte[Base64UrlStrict.GetDecodedLength(nLength)];
        byte[] e = new byte[Base64UrlStrict.GetDecodedLength(eLength)];
        if (!Base64UrlStrict.TryDecode(nText[..nLength], n, out _) || !Base64UrlStrict.TryDecode(eText[..eLength], e, out _)
            || n[0] == 0 || e[0] == 0
            || !RsaSigningAlgorithm.IsValidPublicKey(n, e))
        {
            return ProofJwsStatus.InvalidKey;
        }

        KeyMaterial? material = RsaKeyMaterial.TryImport(n, e, null, ((RsaSigningAlgorithm)algorithm.Signing).Padding);
        if (material is null)
        {
            return ProofJwsStatus.InvalidKey;
        }

        key = SigningKey.FromPublicMaterial(algorithm.Signing, material);
        cache?.Add(thumbprint, key);
        return ProofJwsStatus.Valid;
    }

    /// <summary>RFC 7638 §3.2 for RSA: <c>{"e":…,"kty":"RSA","n":…}</c>.</summary>
    internal static void RsaThumbprint(ReadOnlySpan<byte> n, ReadOnlySpan<byte> e, Span<byte> digest)
    {
        Span<byte> json = stackalloc byte[32 + MaxExponentTextLength + MaxModulusTextLength];
        int length = Append(json, 0, "{\"e\":\""u8);
        length = Append(json, length, e);
        length = Append(json, length, "\",\"kty\":\"RSA\",\"n\":\""u8);
        length = Append(json, length, n);
        length = Append(json, length, "\"}"u8);
        SHA256.HashData(json[..length], digest);
    }

    /// <summary>The key type named by <c>kty</c> and <c>crv</c>; both compared exactly (JWK member values are case-sensitive).</summary>
    internal static ProofKeyType KeyTypeOf(ReadOnlySpan<byte> kty, ReadOnlySpan<byte> crv) =>
        kty.SequenceEqual("EC"u8) && crv.SequenceEqual("P-256"u8) ? ProofKeyType.EcP256
        : kty.SequenceEqual("OKP"u8) && crv.SequenceEqual("Ed25519"u8) ? ProofKeyType.OkpEd25519
        : ProofKeyType.Unsupported;

    /// <summary>RFC 7638 §3.2: SHA-256 over the required members in lexicographic order, no white space.</summary>
    internal static void Thumbprint(ProofKeyType keyType, ReadOnlySpan<byte> x, ReadOnlySpan<byte> y, Span<byte> digest)
    {
        Span<byte> json = stackalloc byte[128];
        int length;
        if (keyType == ProofKeyType.EcP256)
        {
            ReadOnlySpan<byte> head = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\""u8;
            length = Append(json, 0, head);
            length = Append(json, length, x);
            length = Append(json, length, "\",\"y\":\""u8);
            length = Append(json, length, y);
        }
        else
        {
            length = Append(json, 0, "{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\""u8);
            length = Append(json, length, x);
        }

        length = Append(json, length, "\"}"u8);
        SHA256.HashData(json[..length], digest);
    }

    private static int Append(Span<byte> destination, int offset, ReadOnlySpan<byte> value)
    {
        value.CopyTo(destination[offset..]);
        return offset + value.Length;
    }

    private static bool IsCoordinate(ReadOnlySpan<byte> text, int length) =>
        length == CoordinateTextLength && Base64UrlStrict.IsCanonical(text[..length]);

    private static SigningKey? Import(SigningAlgorithm algorithm, ProofKeyType keyType, ReadOnlySpan<byte> x, ReadOnlySpan<byte> y)
    {
        byte[] xBytes = new byte[32];
        byte[]? yBytes = keyType == ProofKeyType.EcP256 ? new byte[32] : null;
        if (!Base64UrlStrict.TryDecode(x, xBytes, out _) || (yBytes is not null && !Base64UrlStrict.TryDecode(y, yBytes, out _)))
        {
            return null;
        }

        KeyMaterial? material = keyType == ProofKeyType.EcP256
            ? EcdsaP256KeyMaterial.TryImport(xBytes, yBytes!, null)
            : Ed25519KeyMaterial.TryImport(xBytes, null, exportable: false);
        return material is null ? null : SigningKey.FromPublicMaterial(algorithm, material);
    }

    private static bool HasOnlySignatureOperations(scoped ref Utf8JsonReader reader, scoped Span<byte> scratch)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (!StrictJson.TryCopyString(ref reader, scratch, out int length)
                || !(scratch[..length].SequenceEqual("verify"u8) || scratch[..length].SequenceEqual("sign"u8)))
            {
                reader.Skip();
                SkipToEndOfArray(ref reader);
                return false;
            }
        }

        return true;
    }

    private static void SkipToEndOfArray(scoped ref Utf8JsonReader reader)
    {
        while (reader.TokenType != JsonTokenType.EndArray && reader.Read())
        {
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                reader.Skip();
            }
        }
    }

    private static Member Classify(scoped ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("kty"u8) ? Member.Kty
        : reader.ValueTextEquals("crv"u8) ? Member.Crv
        : reader.ValueTextEquals("x"u8) ? Member.X
        : reader.ValueTextEquals("y"u8) ? Member.Y
        : reader.ValueTextEquals("n"u8) ? Member.N
        : reader.ValueTextEquals("e"u8) ? Member.E
        : reader.ValueTextEquals("alg"u8) ? Member.Alg
        : reader.ValueTextEquals("use"u8) ? Member.Use
        : reader.ValueTextEquals("key_ops"u8) ? Member.KeyOps
        : reader.ValueTextEquals("kid"u8) ? Member.Kid
        : IsPrivateMember(ref reader) ? Member.Private
        : Member.Other;

    // RFC 7518 §6.2.2 (EC d), §6.3.2 (RSA d, p, q, dp, dq, qi, oth), §6.4 (oct k); RFC 8037 §2 (OKP d).
    private static bool IsPrivateMember(scoped ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("d"u8) || reader.ValueTextEquals("p"u8) || reader.ValueTextEquals("q"u8)
        || reader.ValueTextEquals("dp"u8) || reader.ValueTextEquals("dq"u8) || reader.ValueTextEquals("qi"u8)
        || reader.ValueTextEquals("oth"u8) || reader.ValueTextEquals("k"u8);

    private enum Member
    {
        Other,
        Kty,
        Crv,
        X,
        Y,
        N,
        E,
        Alg,
        Use,
        KeyOps,
        Kid,
        Private,
    }
}
