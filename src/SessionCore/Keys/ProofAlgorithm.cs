/*
 * The JWS algorithms a key-bound proof (DPoP, RFC 9449; device-bound session credentials) may be signed with.
 *
 *   RFC 7518 §3.4        "ES256": ECDSA P-256 / SHA-256, 64-byte r || s; key "kty" "EC", "crv" "P-256".
 *   RFC 8037 §3.1        "EdDSA" with an OKP key whose "crv" is "Ed25519".
 *   RFC 9864 §2          "Ed25519": the fully specified name of the same signature; some DPoP clients send it.
 *   RFC 7518 §3.3, §3.5  "RS256" (RSASSA-PKCS1-v1_5) and "PS256" (RSASSA-PSS), SHA-256; key "kty" "RSA", 2048 to 4096 bits.
 *
 * Each proof algorithm names the SigningAlgorithm that verifies it and the one key type it accepts, so the key in
 * the proof, never the "alg" header alone, decides how the signature is checked. RS256 and PS256 share the RSA key type but
 * not the verifying algorithm, so a key imported for one never verifies a signature of the other.
 */
using System;

namespace SessionCore.Keys;

/// <summary>The kinds of public key a proof can carry.</summary>
internal enum ProofKeyType
{
    /// <summary>No supported key type.</summary>
    Unsupported = 0,

    /// <summary><c>kty</c> <c>EC</c>, <c>crv</c> <c>P-256</c>.</summary>
    EcP256 = 1,

    /// <summary><c>kty</c> <c>OKP</c>, <c>crv</c> <c>Ed25519</c>.</summary>
    OkpEd25519 = 2,

    /// <summary><c>kty</c> <c>RSA</c>, modulus of 2048 to 4096 bits.</summary>
    Rsa = 3,
}

/// <summary>One JWS <c>alg</c> value a proof may carry, pinned to its verifying algorithm and key type.</summary>
internal sealed class ProofAlgorithm
{
    private readonly byte[] _nameUtf8;

    private ProofAlgorithm(string name, SigningAlgorithm signing, ProofKeyType keyType)
    {
        Name = name;
        _nameUtf8 = System.Text.Encoding.ASCII.GetBytes(name);
        Signing = signing;
        KeyType = keyType;
    }

    public static ProofAlgorithm Es256 { get; } = new("ES256", SigningAlgorithm.Es256, ProofKeyType.EcP256);

    public static ProofAlgorithm EdDsa { get; } = new("EdDSA", SigningAlgorithm.EdDsa, ProofKeyType.OkpEd25519);

    public static ProofAlgorithm Ed25519 { get; } = new("Ed25519", SigningAlgorithm.EdDsa, ProofKeyType.OkpEd25519);

    public static ProofAlgorithm Rs256 { get; } = new("RS256", SigningAlgorithm.Rs256, ProofKeyType.Rsa);

    public static ProofAlgorithm Ps256 { get; } = new("PS256", SigningAlgorithm.Ps256, ProofKeyType.Rsa);

    /// <summary>Gets the JWS <c>alg</c> value.</summary>
    public string Name { get; }

    public ReadOnlySpan<byte> NameUtf8 => _nameUtf8;

    /// <summary>Gets the algorithm that verifies the signature.</summary>
    public SigningAlgorithm Signing { get; }

    /// <summary>Gets the only key type this algorithm accepts.</summary>
    public ProofKeyType KeyType { get; }

    /// <summary>Finds <paramref name="utf8Name"/> among <paramref name="allowed"/>; exact, case-sensitive match (RFC 7515 §4.1.1).</summary>
    public static ProofAlgorithm? Find(ReadOnlySpan<byte> utf8Name, ReadOnlySpan<ProofAlgorithm> allowed)
    {
        foreach (ProofAlgorithm algorithm in allowed)
        {
            if (utf8Name.SequenceEqual(algorithm.NameUtf8))
            {
                return algorithm;
            }
        }

        return null;
    }

    /// <summary>True when a JWK's optional <c>alg</c> member may stand beside this header algorithm: the same name, or the other name of the same signature.</summary>
    public bool IsCompatibleJwkAlgorithm(ReadOnlySpan<byte> jwkAlg) =>
        jwkAlg.SequenceEqual(NameUtf8)
        || (ReferenceEquals(Signing, SigningAlgorithm.EdDsa) && (jwkAlg.SequenceEqual(EdDsa.NameUtf8) || jwkAlg.SequenceEqual(Ed25519.NameUtf8)));

    public override string ToString() => Name;
}
