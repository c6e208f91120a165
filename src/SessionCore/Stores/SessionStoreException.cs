using System;

namespace SessionCore.Stores;

/// <summary>
/// Thrown by a store adapter when the backing database cannot be reached or fails. The session
/// manager turns it (and any other store exception) into a "store unavailable" outcome and fails closed.
/// </summary>
/// <remarks>Security: adapters must not put tokens, token hashes or user data in the message.</remarks>
public sealed class SessionStoreException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="SessionStoreException"/> class.</summary>
    public SessionStoreException()
        : base(Internal.Error.StoreFailed)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SessionStoreException"/> class.</summary>
    /// <param name="message">A message free of secrets.</param>
    public SessionStoreException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="SessionStoreException"/> class.</summary>
    /// <param name="message">A message free of secrets.</param>
    /// <param name="innerException">The driver's exception.</param>
    public SessionStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
