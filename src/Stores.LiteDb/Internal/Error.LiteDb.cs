namespace SessionCore.Stores.LiteDb.Internal;

/// <summary>Message texts of the LiteDB store. None carries a token, a hash, a user id or any stored value.</summary>
internal static partial class Error
{
    public const string StoreFailed = "The LiteDB session store could not complete the operation.";
    public const string FileInUse = "The LiteDB session store's file is in use by another process; one process must own it. See docs/stores/litedb.md.";
    public const string OpenFailed = "The LiteDB session store could not open its database file.";
    public const string NoLocation = "Set exactly one of FilePath and ConnectionString.";
    public const string SharedModeUnsupported = "The LiteDB session store needs Connection=direct: one process owns the file. See docs/stores/litedb.md.";
    public const string ReadOnlyUnsupported = "The LiteDB session store needs write access to its file.";
    public const string PurgeIntervalOutOfRange = "PurgeInterval must be null (no periodic purge) or between 1 second and 1 day.";
    public const string DuplicateKey = "A session, refresh family or refresh token with this identifier exists already.";
    public const string UserKeyShared = "The user's record key is shared with another user id (ids that differ only in an unpaired surrogate); the store refuses to write it.";
    public const string CorruptRecord = "A record in the LiteDB session store has an unexpected shape.";
}

/// <summary>Messages of the single-use primitive.</summary>
internal static partial class Error
{
    public const string SingleUseKeyEmpty = "The single-use key must not be the default value.";
    public const string SingleUseExpiryNotAfterNow = "The single-use expiry must lie after the current time.";
}
