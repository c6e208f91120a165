namespace SessionCore.Stores;

/// <summary>What a store decided for a redemption (<see cref="RefreshFamily.Classify"/>).</summary>
public enum RefreshRedeemStatus
{
    /// <summary>No family holds the presented hash; nothing was written.</summary>
    NotFound = 0,

    /// <summary>The current token was presented: the family rotated to the prepared successor and the session was renewed when due.</summary>
    Rotated = 1,

    /// <summary>The previous token was presented within the grace window: nothing was written to the family; the session was renewed when due.</summary>
    GraceRetry = 2,

    /// <summary>A spent token was presented outside the grace window: the family and its session were revoked in the same step.</summary>
    Reused = 3,

    /// <summary>A token of a revoked family was presented: the family's session was revoked in the same step (if it was not already).</summary>
    FamilyRevoked = 4,

    /// <summary>The token or its family has expired; nothing was written.</summary>
    Expired = 5,

    /// <summary>The family's session does not open; nothing was written.</summary>
    SessionNotLive = 6,

    /// <summary>The redemption does not come from the family's client, or carries no proof by the family's key; nothing was written.</summary>
    BindingMismatch = 7,

    /// <summary>The grace window cannot be judged (the rotation lies ahead of the tolerated clock skew); nothing was written.</summary>
    RetryConflict = 8,
}
