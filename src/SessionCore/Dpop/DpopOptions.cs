using System;

namespace SessionCore.Dpop;

/// <summary>
/// Settings of DPoP proof validation (RFC 9449). Every value has a safe default and bounds; they are validated once
/// when the validator is built, copied, and later changes do nothing.
/// </summary>
/// <threadsafety>Not thread-safe; configure before building.</threadsafety>
public sealed class DpopOptions
{
    /// <summary>The largest allowed <see cref="MaxProofAge"/>.</summary>
    public static readonly TimeSpan MaxProofAgeLimit = TimeSpan.FromMinutes(5);

    /// <summary>The largest allowed <see cref="FutureSkew"/>.</summary>
    public static readonly TimeSpan MaxFutureSkew = TimeSpan.FromSeconds(60);

    /// <summary>The size of a <see cref="NonceKey"/> in bytes: at least 32, at most 64.</summary>
    public const int MinNonceKeySize = 32;

    /// <summary>Gets or sets the identifier of this authorization or resource server, which scopes the replay cache and the nonces.</summary>
    /// <value><see langword="null"/>; required. For example the issuer URL, or the resource server's base URL.</value>
    /// <remarks>
    /// Security: a proof id is accepted once per scope (RFC 9449 §11.1), and a nonce issued under one scope is
    /// refused under another (§9). Every node of one server must use the same value and share the store.
    /// </remarks>
    public string? ReplayScope { get; set; }

    /// <summary>Gets or sets how old a proof's <c>iat</c> may be.</summary>
    /// <value>60 seconds; between 1 second and <see cref="MaxProofAgeLimit"/>.</value>
    /// <remarks>Security: proof ids are remembered for this long plus <see cref="FutureSkew"/>, so a shorter window also means a smaller replay cache.</remarks>
    public TimeSpan MaxProofAge { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets or sets how far in the future a proof's <c>iat</c> may lie (the client's clock running ahead).</summary>
    /// <value>5 seconds; between 0 and <see cref="MaxFutureSkew"/>.</value>
    public TimeSpan FutureSkew { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets the algorithms accepted; they are also what <see cref="DpopChallenge"/> advertises in <c>algs</c>.</summary>
    /// <value><see cref="DpopSigningAlgorithms.Default"/>; at least one.</value>
    public DpopSigningAlgorithms AllowedAlgorithms { get; set; } = DpopSigningAlgorithms.Default;

    /// <summary>Gets or sets the longest proof read, in characters; longer ones are refused before any parsing.</summary>
    /// <value>4096; between 512 and 16384.</value>
    public int MaxProofLength { get; set; } = 4096;

    /// <summary>Gets or sets a value indicating whether every proof must carry a current server nonce (RFC 9449 §8, §9).</summary>
    /// <value><see langword="false"/>.</value>
    /// <remarks>
    /// Security: nonces stop proofs made in advance (§11.2) by a client or malware that holds the key only for a
    /// while. Once on, a proof without a valid nonce is refused and the result carries the nonce to send in
    /// <c>DPoP-Nonce</c> (§11.3: no downgrade). Nonces are stateless: an HMAC over a time bucket, so any node sharing
    /// <see cref="NonceKey"/> accepts any node's nonce.
    /// </remarks>
    public bool RequireNonce { get; set; }

    /// <summary>Gets or sets a value indicating whether a protected resource accepts DPoP-bound access tokens only (no bearer tokens at all).</summary>
    /// <value><see langword="false"/>: bound tokens need their proof, unbound tokens keep working as bearer tokens.</value>
    /// <remarks>
    /// Security: read by <see cref="ResourceAccessValidator"/>. A bound token is never accepted without its proof,
    /// whatever this says (RFC 9449 §7.2); this setting also refuses unbound tokens, so every client must prove a key.
    /// The challenge then names the <c>DPoP</c> scheme alone.
    /// </remarks>
    public bool RequireBoundTokens { get; set; }

    /// <summary>Gets or sets the nonce time bucket: a nonce is accepted during its bucket and the next one.</summary>
    /// <value>5 minutes; between 10 seconds and 1 hour.</value>
    public TimeSpan NonceLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets the key that authenticates nonces, or empty for a random key of this process.</summary>
    /// <value>Empty: a key from the operating system's CSPRNG, which only this process knows.</value>
    /// <remarks>
    /// Security: with several nodes, give each the same 32 to 64 bytes from a CSPRNG, kept like any secret key and
    /// used for nothing else; otherwise a nonce from one node is refused by the next. The bytes are copied when the
    /// validator is built; clear your buffer afterwards.
    /// </remarks>
    public ReadOnlyMemory<byte> NonceKey { get; set; }

    /// <summary>Gets or sets how many proof keys to keep imported (by thumbprint), or 0 to import every proof's key.</summary>
    /// <value>1024; between 0 and 100000.</value>
    /// <remarks>Importing a P-256 key costs about as much as verifying a signature; clients use one key for many proofs.</remarks>
    public int KeyCacheSize { get; set; } = 1024;
}
