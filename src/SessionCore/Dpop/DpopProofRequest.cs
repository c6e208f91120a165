namespace SessionCore.Dpop;

/// <summary>The request a DPoP proof arrived with, and what the proof must be bound to.</summary>
/// <threadsafety>Immutable once built.</threadsafety>
public sealed class DpopProofRequest
{
    /// <summary>Gets the value of the request's single <c>DPoP</c> header (see <see cref="DpopHeaderParser"/>), or <see langword="null"/>.</summary>
    public string? Proof { get; init; }

    /// <summary>Gets the request's HTTP method, as received (methods are case-sensitive).</summary>
    public required string Method { get; init; }

    /// <summary>Gets the request's absolute target URI; query and fragment are ignored.</summary>
    /// <remarks>
    /// Security: build it from the server's configured public origin and the request path, not from the
    /// <c>Host</c> header, which the client chooses: a proof made for another server must not match.
    /// </remarks>
    public required string TargetUri { get; init; }

    /// <summary>Gets the access token presented with the proof (resource access), or <see langword="null"/> (token requests); when set, the proof's <c>ath</c> must be its hash.</summary>
    public string? AccessToken { get; init; }

    /// <summary>Gets the thumbprint the proof's key must have (the token's <c>cnf.jkt</c>, a bound refresh family's key), or <see langword="null"/> for none.</summary>
    public string? ExpectedKeyThumbprint { get; init; }

    /// <summary>Returns the type name only; the proof and token are never shown.</summary>
    /// <returns><c>DpopProofRequest</c>.</returns>
    public override string ToString() => nameof(DpopProofRequest);
}
