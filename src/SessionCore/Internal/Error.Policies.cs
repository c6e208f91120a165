namespace SessionCore.Internal;

/// <summary>Messages of the session policies (devices, freshness).</summary>
internal static partial class Error
{
    public const string DeviceAndClientBoth = "Set either Device or Client on the sign-in request, not both; the library derives the device from Client.";
    public const string SessionAuthenticationMethodsInvalid = "AuthenticationMethods takes at most 8 distinct HTTP tokens of 1 to 32 characters (RFC 8176 values such as pwd, otp, hwk).";
    public const string FreshnessMaxAgeOutOfRange = "The maximum authentication age must be greater than zero and at most 30 days.";
    public const string FreshnessLevelNegative = "The minimum authentication level must not be negative.";
}
