namespace SessionCore.Stores.Mongo.Internal;

/// <summary>Message texts of the MongoDB store. None carries a token, a hash, a user id or any stored value.</summary>
internal static partial class Error
{
    public const string StoreFailed = "The MongoDB session store could not complete the operation.";
    public const string Contention = "The MongoDB session store gave up after too many concurrent writers changed the same record.";
    public const string DuplicateKey = "A session, refresh family or refresh token with this identifier exists already.";
    public const string UserKeyShared = "The user's record key is shared with another user id (ids that differ only in an unpaired surrogate); the store refuses to write it.";
    public const string NoConnectionString = "ConnectionString must be set.";
    public const string BadName = "DatabaseName and SessionsCollectionName must not be empty.";
    public const string CorruptRecord = "A record in the MongoDB session store has an unexpected shape.";
}

/// <summary>Messages of the single-use primitive.</summary>
internal static partial class Error
{
    public const string SingleUseKeyEmpty = "The single-use key must not be the default value.";
    public const string SingleUseExpiryNotAfterNow = "The single-use expiry must lie after the current time.";
}
