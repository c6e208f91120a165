namespace SessionCore.Sessions;

/// <summary>Account events after which a user's existing sessions must stop working.</summary>
public enum InvalidationTrigger
{
    /// <summary>The password changed.</summary>
    PasswordChanged = 0,

    /// <summary>Multi-factor settings changed (a factor added or removed).</summary>
    MfaChanged = 1,

    /// <summary>The account was disabled; no session may be kept.</summary>
    AccountDisabled = 2,

    /// <summary>A breach is suspected (for example reported by the user or by anomaly detection).</summary>
    SuspectedBreach = 3,
}
