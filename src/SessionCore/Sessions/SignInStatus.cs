namespace SessionCore.Sessions;

/// <summary>The outcome of a sign-in.</summary>
public enum SignInStatus
{
    /// <summary>A new session was created; its token is in the result.</summary>
    SignedIn = 0,

    /// <summary>The user is at the concurrent-session limit and the mode refuses new sessions.</summary>
    LimitReached = 1,

    /// <summary>The store could not answer; no session was created.</summary>
    StoreUnavailable = 2,

    /// <summary>
    /// The user's sessions were invalidated (password change, breach response) while this sign-in ran;
    /// the session it created was revoked at once. Ask the user to sign in again.
    /// </summary>
    Invalidated = 3,

    /// <summary>
    /// The sign-in risk check found reasons the host maps to <see cref="Risk.SignInRiskAction.Refuse"/>; no session was
    /// created and no device remembered. <see cref="SignInResult.Risk"/> says why.
    /// </summary>
    RefusedByRisk = 4,
}
