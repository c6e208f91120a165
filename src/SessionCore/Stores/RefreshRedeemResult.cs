namespace SessionCore.Stores;

/// <summary>The outcome of <see cref="ISessionStore.RedeemRefreshTokenAsync"/>.</summary>
/// <param name="Status">What the store found and did.</param>
/// <param name="Family">The family after the operation (the rotated state on success), or <see langword="null"/> when not found.</param>
public sealed record RefreshRedeemResult(RefreshRedeemStatus Status, RefreshFamily? Family)
{
    /// <summary>Gets the result for an unknown hash.</summary>
    public static RefreshRedeemResult NotFound { get; } = new(RefreshRedeemStatus.NotFound, null);
}
