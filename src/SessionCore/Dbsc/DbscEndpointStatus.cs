using System.Diagnostics.CodeAnalysis;

namespace SessionCore.Dbsc;

/// <summary>What the registration or refresh endpoint did. The reason never echoes input.</summary>
[Experimental(DbscDiagnostics.ExperimentalId)]
public enum DbscEndpointStatus
{
    /// <summary>The session is now bound to the proof's key (or was already, to the same key); a bound cookie was set.</summary>
    Registered = 0,

    /// <summary>The proof by the registered key was accepted; a new bound cookie was set.</summary>
    Refreshed = 1,

    /// <summary>The refresh carried no proof; a 403 with a fresh challenge demands one.</summary>
    ChallengeIssued = 2,

    /// <summary>The proof was refused (see <see cref="DbscEndpointResult.ProofStatus"/>).</summary>
    ProofRefused = 3,

    /// <summary>The long-lived session token does not open a live session; a refresh is answered <c>continue: false</c>.</summary>
    SessionNotValid = 4,

    /// <summary>A refresh for a session that never registered a key; answered <c>continue: false</c>.</summary>
    NotBound = 5,

    /// <summary>A registration for a session already bound to another key; refused (a binding is never replaced).</summary>
    BoundToOtherKey = 6,

    /// <summary>The refresh's <c>Sec-Secure-Session-Id</c> is missing or names another DBSC session than the session cookie's.</summary>
    SessionIdentifierMismatch = 7,

    /// <summary>The store could not answer; a 503 keeps the browser's session for a later attempt (fail closed).</summary>
    StoreUnavailable = 8,
}
