namespace SessionCore.Internal;

/// <summary>Messages of the store primitives shared by every adapter.</summary>
internal static partial class Error
{
    public const string SingleUseLabelInvalid = "A single-use purpose or scope must be well-formed UTF-16 of at most 1024 UTF-8 bytes.";
    public const string SingleUseKeySize = "A single-use key is exactly 32 bytes.";
    public const string SingleUseKeyEmpty = "The single-use key must not be the default value.";
    public const string SingleUseExpiryNotAfterNow = "The single-use expiry must lie after the current time.";
    public const string SingleUseCapacityReached = "The in-memory store holds as many single-use entries as it may; refused (fail closed).";
}
