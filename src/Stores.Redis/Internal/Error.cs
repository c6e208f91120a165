namespace SessionCore.Stores.Redis.Internal;

/// <summary>Message texts of the Redis store. None carries a key, token hash, user id or other data.</summary>
internal static partial class Error
{
    public const string Unavailable = "The Redis session store could not complete the operation.";
    public const string Unreadable = "The Redis session store holds a record it cannot read.";
    public const string DuplicateSession = "A session with this identifier exists already.";
    public const string DuplicateFamily = "A refresh family or token with this identifier exists already.";
    public const string DuplicateToken = "A refresh token with this identifier exists already.";
    public const string ExceptWithEpoch = "A session cannot be left as it is when the epoch advances: keep it by regenerating it instead.";
    public const string NoConnection = "Set exactly one of Configuration and ConnectionMultiplexer.";
    public const string BadPrefix = "KeyPrefix must be 1 to 64 characters without braces, spaces or control characters.";
    public const string DatabaseOutOfRange = "Database must be between -1 and 1023.";
    public const string GraceOutOfRange = "ExpiryGrace must be between 1 second and 1 day.";
}
