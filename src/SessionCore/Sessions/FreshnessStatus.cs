namespace SessionCore.Sessions;

/// <summary>The answer to a freshness check. Only <see cref="Fresh"/> permits the sensitive operation.</summary>
public enum FreshnessStatus
{
    /// <summary>The session is live, its authentication is young enough and its level high enough.</summary>
    Fresh = 0,

    /// <summary>The authentication is too old (or exactly at the limit): ask the user to authenticate again, then call <see cref="SessionManager.RegenerateAsync(string?, SessionChange?, System.Threading.CancellationToken)"/> with <see cref="SessionChange.Reauthenticated"/> set.</summary>
    ReauthenticationRequired = 1,

    /// <summary>The authentication level is too low: ask for a stronger factor, then regenerate with the new <see cref="SessionChange.AuthenticationLevel"/> and <see cref="SessionChange.Reauthenticated"/>.</summary>
    StepUpRequired = 2,

    /// <summary>The token does not open a live session (see <see cref="FreshnessResult.Validation"/>); the user must sign in.</summary>
    NotAuthenticated = 3,
}
