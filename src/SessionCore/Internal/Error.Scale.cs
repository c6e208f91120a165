namespace SessionCore.Internal;

internal static partial class Error
{
    public const string EmptySessionId = "The session identifier must not be empty.";
    public const string StalenessOutOfRange = "Staleness must be more than zero and at most 30 seconds.";
    public const string CapacityOutOfRange = "Capacity must be between 1 and 1,000,000.";
}
