using System;
using System.Diagnostics.CodeAnalysis;
using SessionCore.Internal;
using SessionCore.Sessions;

namespace SessionCore.Http;

/// <summary>The typed outcome of reading a credential from a request header.</summary>
/// <remarks>Security: <see cref="ToString"/> shows the status only, never the value.</remarks>
/// <threadsafety>Immutable.</threadsafety>
public sealed class HeaderValueResult
{
    private static readonly HeaderValueResult[] s_failures =
    [
        new(HeaderValueStatus.Found, null),
        new(HeaderValueStatus.NotFound, null),
        new(HeaderValueStatus.OtherScheme, null),
        new(HeaderValueStatus.Malformed, null),
        new(HeaderValueStatus.Ambiguous, null),
        new(HeaderValueStatus.TooLarge, null),
    ];

    private readonly string? _value;

    private HeaderValueResult(HeaderValueStatus status, string? value)
    {
        Status = status;
        _value = value;
    }

    /// <summary>Gets the outcome.</summary>
    public HeaderValueStatus Status { get; }

    /// <summary>Gets a value indicating whether a value was found.</summary>
    public bool IsSuccess => _value is not null;

    /// <summary>Gets the value (pass it to <see cref="SessionManager.ValidateAsync(string?, System.Threading.CancellationToken)"/>).</summary>
    /// <exception cref="InvalidOperationException">No value was found.</exception>
    public string Value => _value ?? Throw.InvalidOperation<string>(Error.FailedResultHasNoValue);

    /// <summary>Gets the value when one was found.</summary>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> when found.</returns>
    public bool TryGetValue([NotNullWhen(true)] out string? value)
    {
        value = _value;
        return value is not null;
    }

    /// <inheritdoc/>
    public override string ToString() => Status.ToString();

    internal static HeaderValueResult Found(string value) => new(HeaderValueStatus.Found, value);

    internal static HeaderValueResult Failure(HeaderValueStatus status) => s_failures[(int)status];
}
