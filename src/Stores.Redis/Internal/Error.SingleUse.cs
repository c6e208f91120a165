namespace SessionCore.Stores.Redis.Internal;

/// <summary>Messages of the single-use primitive.</summary>
internal static partial class Error
{
    public const string SingleUseKeyEmpty = "The single-use key must not be the default value.";
    public const string SingleUseExpiryNotAfterNow = "The single-use expiry must lie after the current time.";
}
