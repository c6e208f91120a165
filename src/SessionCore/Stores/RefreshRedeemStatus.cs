namespace SessionCore.Stores;

/// <summary>What a store found, and did, for a refresh redemption.</summary>
public enum RefreshRedeemStatus
{
    /// <summary>No family holds the presented hash. Nothing changed.</summary>
    NotFound = 0,

    /// <summary>The presented token was current and live: it is now rotated and the successor is current.</summary>
    Rotated = 1,

    /// <summary>The presented token belongs to the family but is not current (previous or spent). Nothing changed.</summary>
    NotCurrent = 2,

    /// <summary>The family is revoked. Nothing changed.</summary>
    FamilyRevoked = 3,

    /// <summary>The presented token is current but past its idle or the family's absolute expiry. Nothing changed.</summary>
    Expired = 4,

    /// <summary>The family's session is missing, revoked or past its absolute expiry. Nothing changed.</summary>
    SessionNotLive = 5,
}
