using System;
using System.Diagnostics.CodeAnalysis;
using SessionCore.Tokens;

namespace SessionCore.Dbsc;

/// <summary>What a verified bound cookie says: the session, the key it was bound to, and until when.</summary>
/// <remarks>Security: none of these values is secret; the cookie value itself is the credential and is not kept here.</remarks>
/// <threadsafety>Immutable.</threadsafety>
[Experimental(DbscDiagnostics.ExperimentalId)]
public sealed class DbscBoundCookie
{
    internal DbscBoundCookie(SessionId sessionId, string keyThumbprint, DateTimeOffset expiresAt)
    {
        SessionId = sessionId;
        KeyThumbprint = keyThumbprint;
        ExpiresAt = expiresAt;
    }

    /// <summary>Gets the session the cookie was issued for.</summary>
    public SessionId SessionId { get; }

    /// <summary>Gets the RFC 7638 thumbprint of the key the session was bound to.</summary>
    public string KeyThumbprint { get; }

    /// <summary>Gets when the cookie expires (before the tolerated clock difference).</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>Returns the session identifier and the expiry.</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{SessionId} until {ExpiresAt:O}");
}
