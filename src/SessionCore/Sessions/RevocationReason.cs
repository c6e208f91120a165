namespace SessionCore.Sessions;

/// <summary>Why a session or refresh family was revoked.</summary>
public enum RevocationReason
{
    /// <summary>The user signed out.</summary>
    Logout = 0,

    /// <summary>The session was replaced by a new one (sign-in or privilege change).</summary>
    Regenerated = 1,

    /// <summary>The concurrent-session limit removed it to make room for a new one.</summary>
    Evicted = 2,

    /// <summary>The user's password changed.</summary>
    PasswordChanged = 3,

    /// <summary>The user's multi-factor settings changed.</summary>
    MfaChanged = 4,

    /// <summary>The account was disabled.</summary>
    AccountDisabled = 5,

    /// <summary>A breach is suspected.</summary>
    SuspectedBreach = 6,

    /// <summary>A spent refresh token of the session was presented again.</summary>
    RefreshTokenReuse = 7,

    /// <summary>An operator or the user revoked it explicitly.</summary>
    Administrative = 8,
}
