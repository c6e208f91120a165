using System;
using System.Diagnostics.CodeAnalysis;

namespace SessionCore.Dbsc;

/// <summary>What an accepted DBSC proof established: the key that signed it and the challenge it answered.</summary>
/// <remarks>Security: holds no secret; the private key never leaves the device, and the challenge has been used up.</remarks>
/// <threadsafety>Immutable.</threadsafety>
[Experimental(DbscDiagnostics.ExperimentalId)]
public sealed class DbscProof
{
    internal DbscProof(string keyThumbprint, string publicKeyJwk, string algorithm, DateTimeOffset challengeIssuedAt)
    {
        KeyThumbprint = keyThumbprint;
        PublicKeyJwk = publicKeyJwk;
        Algorithm = algorithm;
        ChallengeIssuedAt = challengeIssuedAt;
    }

    /// <summary>Gets the RFC 7638 SHA-256 thumbprint of the signing key (base64url).</summary>
    public string KeyThumbprint { get; }

    /// <summary>Gets the signing key as a public JWK written by SessionCore (never the client's text).</summary>
    public string PublicKeyJwk { get; }

    /// <summary>Gets the JWS <c>alg</c> of the proof.</summary>
    public string Algorithm { get; }

    /// <summary>Gets when the answered challenge was issued.</summary>
    public DateTimeOffset ChallengeIssuedAt { get; }

    /// <summary>Returns the algorithm and thumbprint.</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => Algorithm + " " + KeyThumbprint;
}
