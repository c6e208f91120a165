using System.Diagnostics.CodeAnalysis;

namespace SessionCore.Dbsc;

/// <summary>One entry of a <c>Secure-Session-Skipped</c> header: a session the browser did not refresh, and why.</summary>
/// <remarks>
/// Security: the header is a hint from the client and grants nothing; a request that lacks a valid bound
/// cookie stays unauthenticated whatever it says. Hosts may log the reason (it is a closed set) and decide
/// how to answer, for example with a page that explains the outage.
/// </remarks>
/// <threadsafety>Immutable.</threadsafety>
[Experimental(DbscDiagnostics.ExperimentalId)]
public sealed class DbscSkippedSession
{
    internal DbscSkippedSession(DbscSkipReason reason, string? sessionIdentifier)
    {
        Reason = reason;
        SessionIdentifier = sessionIdentifier;
    }

    /// <summary>Gets the reason.</summary>
    public DbscSkipReason Reason { get; }

    /// <summary>
    /// Gets the <c>session_identifier</c> parameter when it is present and a valid DBSC session identifier
    /// (<see cref="DbscHeaderWriter.IsSessionIdentifier"/>); otherwise <see langword="null"/>.
    /// </summary>
    public string? SessionIdentifier { get; }

    /// <summary>Returns the reason only.</summary>
    /// <returns>The reason.</returns>
    public override string ToString() => Reason.ToString();
}
