using SessionCore.Sessions;

namespace SessionCore.Stores;

/// <summary>What <see cref="ISessionStore.RedeemRefreshTokenAsync"/> decided and wrote.</summary>
/// <param name="Status">The decision.</param>
/// <param name="Family">The family as it now stands, or <see langword="null"/> for <see cref="RefreshRedeemStatus.NotFound"/>.</param>
/// <param name="Session">The family's session as it now stands, or <see langword="null"/> when the store holds none.</param>
/// <param name="SessionStatus">What <see cref="Session.Classify"/> said of the session before the step.</param>
/// <param name="SessionRevoked">Whether this step revoked the session (reuse).</param>
/// <threadsafety>Immutable and safe to share.</threadsafety>
public sealed record RefreshRedeemResult(RefreshRedeemStatus Status, RefreshFamily? Family, Session? Session, SessionValidationStatus SessionStatus, bool SessionRevoked)
{
    /// <summary>Gets the result for a hash no family holds.</summary>
    public static RefreshRedeemResult NotFound { get; } = new(RefreshRedeemStatus.NotFound, null, null, SessionValidationStatus.NotFound, false);
}
