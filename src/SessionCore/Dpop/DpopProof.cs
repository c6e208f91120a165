using System;

namespace SessionCore.Dpop;

/// <summary>What a valid DPoP proof established: possession of a key, for this request, at this time.</summary>
/// <remarks>
/// Security: a valid proof is not an authentication by itself (RFC 9449 §4.1): bind it to a token (compare
/// <see cref="KeyThumbprint"/> with the token's <c>cnf.jkt</c>) or to a refresh family before relying on it.
/// </remarks>
/// <threadsafety>Immutable.</threadsafety>
public sealed class DpopProof
{
    internal DpopProof(string keyThumbprint, string algorithm, DateTimeOffset issuedAt)
    {
        KeyThumbprint = keyThumbprint;
        Algorithm = algorithm;
        IssuedAt = issuedAt;
    }

    /// <summary>Gets the RFC 7638 SHA-256 thumbprint of the proof's public key, base64url (43 characters): the value of <c>cnf.jkt</c>.</summary>
    public string KeyThumbprint { get; }

    /// <summary>Gets the JWS <c>alg</c> the proof was signed with, as sent (for example <c>ES256</c> or <c>Ed25519</c>).</summary>
    public string Algorithm { get; }

    /// <summary>Gets the proof's <c>iat</c>.</summary>
    public DateTimeOffset IssuedAt { get; }

    /// <summary>Returns the type and algorithm only.</summary>
    /// <returns>For example <c>DpopProof ES256</c>.</returns>
    public override string ToString() => "DpopProof " + Algorithm;
}
