namespace SessionCore.Http;

/// <summary>Allow or deny, with a coarse reason that never echoes the request's headers.</summary>
/// <param name="IsAllowed">Whether the request may proceed.</param>
/// <param name="Reason">Why.</param>
public readonly record struct OriginCheckResult(bool IsAllowed, OriginCheckReason Reason);
