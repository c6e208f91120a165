using System.Diagnostics.CodeAnalysis;

namespace SessionCore.Dbsc;

/// <summary>Why a browser sent a request without a session's bound cookie (<c>Secure-Session-Skipped</c>, DBSC §9.5).</summary>
[Experimental(DbscDiagnostics.ExperimentalId)]
public enum DbscSkipReason
{
    /// <summary>A reason this version does not know (<c>Secure-Session-Skipped</c> may gain tokens); the value is not kept.</summary>
    Other = 0,

    /// <summary><c>unreachable</c>: the refresh endpoint could not be reached.</summary>
    Unreachable = 1,

    /// <summary><c>server_error</c>: the refresh endpoint answered with an error such as a 5xx.</summary>
    ServerError = 2,

    /// <summary><c>quota_exceeded</c>: the browser chose not to refresh, for example after too many recent signatures.</summary>
    QuotaExceeded = 3,
}
