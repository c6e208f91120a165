using System.Diagnostics.CodeAnalysis;

namespace SessionCore.Diagnostics;

/// <summary>What made a bound session's use look like a replay of copied credentials.</summary>
[Experimental("SCEXP0001")]
public enum BoundSessionReplayReason
{
    /// <summary>The long-lived cookie came without a bound cookie, and the browser did not say it skipped the refresh (<c>Secure-Session-Skipped</c>).</summary>
    BoundCookieMissing = 0,

    /// <summary>The long-lived cookie came with a bound cookie that is forged, of another session or of another key.</summary>
    BoundCookieInvalid = 1,

    /// <summary>A refresh proof was not signed by the registered key (or carried a key of its own).</summary>
    ProofByOtherKey = 2,

    /// <summary>A registration tried to bind an already bound session to another key.</summary>
    OtherKeyRegistration = 3,
}
