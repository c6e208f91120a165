using System;

namespace SessionCore.Dpop;

/// <summary>The JWS algorithms a DPoP proof may be signed with; a set of flags, so the allow-list is explicit and closed.</summary>
/// <remarks>
/// Security: only asymmetric signatures exist here; <c>none</c>, HMAC (HS*) and anything unlisted are always refused
/// (RFC 9449 §4.3 check 5, §11.6). The key in the proof must be of the algorithm's key type: the header alone never
/// decides how a signature is checked.
/// </remarks>
[Flags]
public enum DpopSigningAlgorithms
{
    /// <summary>No algorithm; not a valid configuration.</summary>
    None = 0,

    /// <summary>ECDSA P-256 with SHA-256 (RFC 7518 §3.4), with an EC P-256 <c>jwk</c>.</summary>
    Es256 = 1,

    /// <summary>EdDSA (RFC 8037 §3.1) with an OKP Ed25519 <c>jwk</c>.</summary>
    EdDsa = 2,

    /// <summary>The fully specified name of the same Ed25519 signature (RFC 9864), which some clients (for example the npm <c>dpop</c> package) send.</summary>
    Ed25519 = 4,

    /// <summary>RSASSA-PKCS1-v1_5 with SHA-256 (RFC 7518 §3.3), with an RSA <c>jwk</c> of 2048 to 4096 bits; opt-in.</summary>
    /// <remarks>Security: not in <see cref="Default"/>; RSA keys are larger and slower to check, so a host adds it only for clients that need it.</remarks>
    Rs256 = 8,

    /// <summary>RSASSA-PSS with SHA-256 (RFC 7518 §3.5), with an RSA <c>jwk</c> of 2048 to 4096 bits; opt-in.</summary>
    /// <remarks>Security: not in <see cref="Default"/>; a key imported for PS256 never verifies an RS256 signature, nor the reverse.</remarks>
    Ps256 = 16,

    /// <summary>The default: <see cref="Es256"/>, <see cref="EdDsa"/> and <see cref="Ed25519"/>.</summary>
    Default = Es256 | EdDsa | Ed25519,
}
