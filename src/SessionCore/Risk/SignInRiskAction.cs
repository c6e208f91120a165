namespace SessionCore.Risk;

/// <summary>
/// What the host does about a sign-in, from the mildest to the strictest. A sign-in with several reasons takes the
/// strictest action any of them maps to.
/// </summary>
public enum SignInRiskAction
{
    /// <summary>Sign in; the reasons are still recorded.</summary>
    Allow = 0,

    /// <summary>Sign in and tell the user (for example by e-mail and a notice in the session list).</summary>
    Notify = 1,

    /// <summary>
    /// Sign in, but with an authentication that is not fresh: operations that require freshness ask for a second factor
    /// or the password again before they proceed.
    /// </summary>
    RequireStepUp = 2,

    /// <summary>Do not sign in.</summary>
    Refuse = 3,
}
