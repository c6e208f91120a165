namespace SessionCore.Jwt;

/// <summary>How far <see cref="AccessTokenValidator.ValidateAsync"/> goes.</summary>
public enum AccessTokenValidationMode
{
    /// <summary>
    /// Signature and claims, and then the session through the store: it must be live and the token's
    /// security epoch must match, so logout, password change and breach response end access at once.
    /// </summary>
    Online = 0,

    /// <summary>Signature and claims only. A revoked session's tokens stay valid until they expire.</summary>
    Offline = 1,
}
