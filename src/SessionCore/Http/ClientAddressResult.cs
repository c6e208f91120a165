using System;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using SessionCore.Internal;

namespace SessionCore.Http;

/// <summary>The typed outcome of resolving the client address of a request.</summary>
/// <remarks>Security (privacy): <see cref="ToString"/> shows the status only, never the address.</remarks>
/// <threadsafety>Immutable.</threadsafety>
public sealed class ClientAddressResult
{
    private static readonly ClientAddressResult[] s_failures =
    [
        new(ClientAddressStatus.Connection, null),
        new(ClientAddressStatus.Forwarded, null),
        new(ClientAddressStatus.NoConnectionAddress, null),
        new(ClientAddressStatus.Malformed, null),
        new(ClientAddressStatus.Obfuscated, null),
        new(ClientAddressStatus.TooManyHops, null),
        new(ClientAddressStatus.TooLong, null),
    ];

    private readonly IPAddress? _address;

    private ClientAddressResult(ClientAddressStatus status, IPAddress? address)
    {
        Status = status;
        _address = address;
    }

    /// <summary>Gets where the address came from, or why there is none.</summary>
    public ClientAddressStatus Status { get; }

    /// <summary>Gets a value indicating whether an address was resolved.</summary>
    public bool IsSuccess => _address is not null;

    /// <summary>Gets the client address (IPv4-mapped IPv6 addresses are given as IPv4).</summary>
    /// <exception cref="InvalidOperationException">No address was resolved.</exception>
    public IPAddress Value => _address ?? Throw.InvalidOperation<IPAddress>(Error.FailedResultHasNoValue);

    /// <summary>Gets the client address when one was resolved.</summary>
    /// <param name="address">The address.</param>
    /// <returns><see langword="true"/> when resolved.</returns>
    public bool TryGetValue([NotNullWhen(true)] out IPAddress? address)
    {
        address = _address;
        return address is not null;
    }

    /// <inheritdoc/>
    public override string ToString() => Status.ToString();

    internal static ClientAddressResult Resolved(ClientAddressStatus status, IPAddress address) => new(status, address);

    internal static ClientAddressResult Failure(ClientAddressStatus status) => s_failures[(int)status];
}
