/*
 * RS256 and PS256: RSA signatures with SHA-256.
 *
 *   RFC 7518 §3.3   JWS "alg" = "RS256": RSASSA-PKCS1-v1_5 (RFC 8017 §8.2) with SHA-256. The JWS Signature is
 *                   the signature octet string, exactly as long as the modulus (k octets, RFC 8017 §8.2.2).
 *   RFC 7518 §3.5   JWS "alg" = "PS256": RSASSA-PSS (RFC 8017 §8.1) with SHA-256, MGF1 with SHA-256 and a
 *                   salt as long as the hash (32 bytes). Same signature length.
 *   RFC 7518 §3.3   "A key of size 2048 bits or larger MUST be used"; SessionCore accepts 2048 to 4096 bits
 *                   and generates 3072.
 *   RFC 7518 §6.3   RSA JWK: "kty" = "RSA", "n" and "e" as Base64urlUInt (the minimum number of octets, §2),
 *                   private "d", "p", "q", "dp", "dq", "qi" (all or none); "oth" (more than two primes) is refused.
 *   RFC 7638 §3.2   Thumbprint members in order: e, kty, n. The thumbprint does not cover "alg", so one modulus
 *                   cannot sit in a ring as an RS256 key and a PS256 key at once: their key ids collide.
 *
 * Sizes: modulus 256 to 512 bytes (2048 to 4096 bits), signature exactly the modulus length, public exponent
 * odd, at least 3 and at most 4 bytes (a larger exponent only makes verification slower, and no platform
 * generates one). Implemented with System.Security.Cryptography.RSA (OpenSSL on Linux, CNG on Windows), whose
 * RSASignaturePadding.Pss signs with a salt as long as the hash and requires exactly that length on verify.
 */
using System;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SessionCore.Keys;

internal sealed class RsaSigningAlgorithm : SigningAlgorithm
{
    public const string Rs256Name = "RS256";
    public const string Ps256Name = "PS256";
    public const int MaxModulusLength = SigningKey.MaxRsaKeySize / 8;
    public const int MaxExponentLength = 4;

    private readonly byte[] _nameUtf8;
    private readonly RSASignaturePadding _padding;

    public RsaSigningAlgorithm(string name, bool pss)
        : base(name, MaxModulusLength)
    {
        _nameUtf8 = Encoding.ASCII.GetBytes(name);
        _padding = pss ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
    }

    internal override string KeyType => "RSA";

    /// <summary>Gets the signature padding of this algorithm.</summary>
    internal RSASignaturePadding Padding => _padding;

    internal override ReadOnlySpan<byte> NameUtf8 => _nameUtf8;

    internal override bool IsValidKeySize(int? keySize) =>
        keySize is null || (keySize >= SigningKey.MinRsaKeySize && keySize <= SigningKey.MaxRsaKeySize && keySize % 8 == 0);

    internal override KeyMaterial Generate(int? keySize, bool exportable) => RsaKeyMaterial.Generate(keySize ?? SigningKey.DefaultRsaKeySize, _padding);

    internal override bool TryImport(JsonElement jwk, bool exportable, [NotNullWhen(true)] out KeyMaterial? material)
    {
        material = null;
        if (jwk.TryGetProperty("oth", out _))
        {
            return false;
        }

        byte[]? n = null, e = null, d = null, p = null, q = null, dp = null, dq = null, qi = null;
        try
        {
            // Public members first and bounded before decoding: a hostile "n" costs at most 4096 bits of work.
            if (!JwkReader.TryGetUnsignedInteger(jwk, "n", required: true, MaxModulusLength, out n)
                || !JwkReader.TryGetUnsignedInteger(jwk, "e", required: true, MaxExponentLength, out e)
                || !IsValidPublicKey(n!, e!))
            {
                return false;
            }

            int half = (n!.Length + 1) / 2;
            if (!JwkReader.TryGetUnsignedInteger(jwk, "d", required: false, n.Length, out d)
                || !JwkReader.TryGetUnsignedInteger(jwk, "p", required: false, half, out p)
                || !JwkReader.TryGetUnsignedInteger(jwk, "q", required: false, half, out q)
                || !JwkReader.TryGetUnsignedInteger(jwk, "dp", required: false, half, out dp)
                || !JwkReader.TryGetUnsignedInteger(jwk, "dq", required: false, half, out dq)
                || !JwkReader.TryGetUnsignedInteger(jwk, "qi", required: false, half, out qi))
            {
                return false;
            }

            bool anyPrivate = d is not null || p is not null || q is not null || dp is not null || dq is not null || qi is not null;
            bool allPrivate = d is not null && p is not null && q is not null && dp is not null && dq is not null && qi is not null;
            if (anyPrivate && !allPrivate)
            {
                return false;
            }

            material = RsaKeyMaterial.TryImport(n, e!, allPrivate ? new RsaPrivateMembers(d!, p!, q!, dp!, dq!, qi!) : null, _padding);
            return material is not null;
        }
        finally
        {
            JwkReader.Zero(d);
            JwkReader.Zero(p);
            JwkReader.Zero(q);
            JwkReader.Zero(dp);
            JwkReader.Zero(dq);
            JwkReader.Zero(qi);
        }
    }

    /// <summary>Modulus of 2048 to 4096 bits and odd; exponent odd and greater than 1 (both already canonical and length-bounded).</summary>
    internal static bool IsValidPublicKey(byte[] n, byte[] e)
    {
        int bits = BitLength(n);
        return bits >= SigningKey.MinRsaKeySize && bits <= SigningKey.MaxRsaKeySize
            && (n[^1] & 1) == 1
            && (e[^1] & 1) == 1 && (e.Length > 1 || e[0] > 1);
    }

    internal static int BitLength(ReadOnlySpan<byte> canonical) =>
        canonical.IsEmpty ? 0 : ((canonical.Length - 1) * 8) + 32 - BitOperations.LeadingZeroCount((uint)canonical[0]);
}

/// <summary>The decoded private members of an RSA JWK, canonical (no leading zero bytes); owned and zeroed by the caller.</summary>
internal readonly record struct RsaPrivateMembers(byte[] D, byte[] P, byte[] Q, byte[] DP, byte[] DQ, byte[] QI);

internal sealed class RsaKeyMaterial : KeyMaterial
{
    // A fixed message for the pairwise consistency test on import (FIPS 140-3 style): sign with the private
    // part, verify with the published public part.
    private static readonly byte[] s_selfTestDigest = SHA256.HashData("SessionCore RSA key import pairwise consistency test"u8);

    private readonly RSA _rsa;
    private readonly byte[] _n;
    private readonly byte[] _e;
    private readonly RSASignaturePadding _padding;
    private readonly bool _hasPrivateKey;
    private bool _disposed;

    private RsaKeyMaterial(RSA rsa, byte[] n, byte[] e, RSASignaturePadding padding, bool hasPrivateKey)
    {
        _rsa = rsa;
        _n = n;
        _e = e;
        _padding = padding;
        _hasPrivateKey = hasPrivateKey;
        KeySize = RsaSigningAlgorithm.BitLength(n);
    }

    public override bool HasPrivateKey => _hasPrivateKey;

    public override int SignatureSize => _n.Length;

    public override int KeySize { get; }

    public static RsaKeyMaterial Generate(int keySize, RSASignaturePadding padding)
    {
        RSA rsa = RSA.Create(keySize);
        RSAParameters parameters = rsa.ExportParameters(includePrivateParameters: false);
        return new RsaKeyMaterial(rsa, Trim(parameters.Modulus!).ToArray(), Trim(parameters.Exponent!).ToArray(), padding, hasPrivateKey: true);
    }

    public static RsaKeyMaterial? TryImport(byte[] n, byte[] e, RsaPrivateMembers? privateMembers, RSASignaturePadding padding)
    {
        RSAParameters parameters = new() { Modulus = (byte[])n.Clone(), Exponent = (byte[])e.Clone() };
        RSA? rsa = null;
        try
        {
            if (privateMembers is RsaPrivateMembers members)
            {
                // The platform wants D as long as the modulus and the CRT values half as long, left-padded.
                int half = (n.Length + 1) / 2;
                parameters.D = Pad(members.D, n.Length);
                parameters.P = Pad(members.P, half);
                parameters.Q = Pad(members.Q, half);
                parameters.DP = Pad(members.DP, half);
                parameters.DQ = Pad(members.DQ, half);
                parameters.InverseQ = Pad(members.QI, half);
            }

            // A private part that does not belong to the published modulus must not import, and neither may CRT
            // values that disagree with d: a platform that signs with faulty CRT values leaks the factors.
            if (privateMembers is RsaPrivateMembers checkedMembers && !HasConsistentPrivateValues(n, e, checkedMembers))
            {
                return null;
            }

            rsa = RSA.Create(parameters);
            if (privateMembers is not null && !PassesPairwiseTest(rsa, parameters.Modulus, parameters.Exponent, padding))
            {
                return null;
            }

            RsaKeyMaterial material = new(rsa, parameters.Modulus, parameters.Exponent, padding, privateMembers is not null);
            rsa = null;
            return material;
        }
        catch (CryptographicException)
        {
            return null;
        }
        finally
        {
            rsa?.Dispose();
            JwkReader.Zero(parameters.D);
            JwkReader.Zero(parameters.P);
            JwkReader.Zero(parameters.Q);
            JwkReader.Zero(parameters.DP);
            JwkReader.Zero(parameters.DQ);
            JwkReader.Zero(parameters.InverseQ);
        }
    }

    public override void Sign(ReadOnlySpan<byte> data, Span<byte> signature)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        // Hashing here rather than in SignData/VerifyData saves the platform an allocation per call.
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(data, digest);
        if (!_rsa.TrySignHash(digest, signature, HashAlgorithmName.SHA256, _padding, out int written) || written != _n.Length)
        {
            throw new CryptographicException();
        }
    }

    public override bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (signature.Length != _n.Length)
        {
            return false;
        }

        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(data, digest);
        try
        {
            return _rsa.VerifyHash(digest, signature, HashAlgorithmName.SHA256, _padding);
        }
        catch (CryptographicException)
        {
            // A signature value not below the modulus is an invalid signature, whatever the platform makes of it.
            return false;
        }
    }

    public override void WriteRequiredPublicMembers(Utf8JsonWriter writer)
    {
        writer.WriteBase64UrlString("e"u8, _e);
        writer.WriteString("kty"u8, "RSA"u8);
        writer.WriteBase64UrlString("n"u8, _n);
    }

    public override void WritePrivateMembers(Utf8JsonWriter writer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        RSAParameters parameters = _rsa.ExportParameters(includePrivateParameters: true);
        try
        {
            writer.WriteBase64UrlString("d"u8, Trim(parameters.D!));
            writer.WriteBase64UrlString("p"u8, Trim(parameters.P!));
            writer.WriteBase64UrlString("q"u8, Trim(parameters.Q!));
            writer.WriteBase64UrlString("dp"u8, Trim(parameters.DP!));
            writer.WriteBase64UrlString("dq"u8, Trim(parameters.DQ!));
            writer.WriteBase64UrlString("qi"u8, Trim(parameters.InverseQ!));
        }
        finally
        {
            JwkReader.Zero(parameters.D);
            JwkReader.Zero(parameters.P);
            JwkReader.Zero(parameters.Q);
            JwkReader.Zero(parameters.DP);
            JwkReader.Zero(parameters.DQ);
            JwkReader.Zero(parameters.InverseQ);
        }
    }

    public override void Dispose()
    {
        _disposed = true;
        _rsa.Dispose();
    }

    /// <summary>The Base64urlUInt form: no leading zero bytes (one byte for zero).</summary>
    private static ReadOnlySpan<byte> Trim(byte[] value)
    {
        int start = 0;
        while (start < value.Length - 1 && value[start] == 0)
        {
            start++;
        }

        return value.AsSpan(start);
    }

    private static byte[] Pad(byte[] value, int length)
    {
        if (value.Length > length)
        {
            throw new CryptographicException();
        }

        byte[] padded = new byte[length];
        value.CopyTo(padded, length - value.Length);
        return padded;
    }

    /// <summary>
    /// n = p·q, dp = d mod (p−1), dq = d mod (q−1), e·dp ≡ 1 mod (p−1), e·dq ≡ 1 mod (q−1) and qi·q ≡ 1 mod p.
    /// The big-integer temporaries cannot be zeroed; this runs once per import, in the process that holds the key anyway.
    /// </summary>
    private static bool HasConsistentPrivateValues(byte[] n, byte[] e, in RsaPrivateMembers members)
    {
        BigInteger modulus = Unsigned(n), exponent = Unsigned(e), d = Unsigned(members.D);
        BigInteger p = Unsigned(members.P), q = Unsigned(members.Q);
        if (p <= BigInteger.One || q <= BigInteger.One || p * q != modulus)
        {
            return false;
        }

        BigInteger p1 = p - BigInteger.One, q1 = q - BigInteger.One;
        BigInteger dp = Unsigned(members.DP), dq = Unsigned(members.DQ), qi = Unsigned(members.QI);
        return dp == d % p1 && dq == d % q1
            && (exponent * dp) % p1 == BigInteger.One && (exponent * dq) % q1 == BigInteger.One
            && qi < p && (qi * q) % p == BigInteger.One;
    }

    private static BigInteger Unsigned(byte[] value) => new(value, isUnsigned: true, isBigEndian: true);

    private static bool PassesPairwiseTest(RSA rsa, byte[] n, byte[] e, RSASignaturePadding padding)
    {
        byte[] signature = new byte[n.Length];
        using RSA publicOnly = RSA.Create(new RSAParameters { Modulus = n, Exponent = e });
        return rsa.TrySignHash(s_selfTestDigest, signature, HashAlgorithmName.SHA256, padding, out int written)
            && written == n.Length
            && publicOnly.VerifyHash(s_selfTestDigest, signature, HashAlgorithmName.SHA256, padding);
    }
}
