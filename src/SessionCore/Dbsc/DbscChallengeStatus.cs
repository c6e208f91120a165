using System.Diagnostics.CodeAnalysis;

namespace SessionCore.Dbsc;

/// <summary>Why a presented challenge was or was not accepted. The reason never echoes input.</summary>
[Experimental(DbscDiagnostics.ExperimentalId)]
public enum DbscChallengeStatus
{
    /// <summary>The challenge was issued by this host, for this session and purpose, and is unexpired (and, after consumption, unused).</summary>
    Valid = 0,

    /// <summary>No challenge was presented.</summary>
    Missing = 1,

    /// <summary>The value does not have the shape of a challenge (length, alphabet, version).</summary>
    Malformed = 2,

    /// <summary>The authentication tag does not match: not issued by this host, or issued for another session or purpose.</summary>
    Forged = 3,

    /// <summary>The challenge is older than its lifetime.</summary>
    Expired = 4,

    /// <summary>The challenge claims an issue time further ahead than the tolerated clock difference between nodes.</summary>
    FromTheFuture = 5,

    /// <summary>The challenge was valid but had been used before (single use).</summary>
    Replayed = 6,

    /// <summary>The single-use record could not be written; refused (fail closed).</summary>
    StoreUnavailable = 7,
}
