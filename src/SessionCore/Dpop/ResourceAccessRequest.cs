using System.Collections.Generic;

namespace SessionCore.Dpop;

/// <summary>What a request to a protected resource presented: its <c>Authorization</c> and <c>DPoP</c> header fields, method and target URI.</summary>
/// <remarks>Every value is taken as received; none of them is trusted. Build one per request.</remarks>
/// <threadsafety>Immutable once built.</threadsafety>
public sealed class ResourceAccessRequest
{
    /// <summary>Gets the <c>Authorization</c> header value, or <see langword="null"/> when the request has none.</summary>
    public string? Authorization { get; init; }

    /// <summary>Gets every <c>DPoP</c> header field value of the request (more than one is refused), or <see langword="null"/> for none.</summary>
    public IReadOnlyList<string?>? DpopHeaders { get; init; }

    /// <summary>Gets the request's HTTP method, as received.</summary>
    public required string Method { get; init; }

    /// <summary>Gets the request's absolute target URI; query and fragment are ignored.</summary>
    /// <remarks>
    /// Security: build it from the server's configured public origin and the request path, not from the
    /// <c>Host</c> header, which the client chooses: a proof made for another server must not match.
    /// </remarks>
    public required string TargetUri { get; init; }

    /// <summary>Gets a scope token the resource needs (for example <c>orders:read</c>), or <see langword="null"/> for none.</summary>
    public string? RequiredScope { get; init; }

    /// <summary>Returns the type name only; headers are never shown.</summary>
    /// <returns><c>ResourceAccessRequest</c>.</returns>
    public override string ToString() => nameof(ResourceAccessRequest);
}
