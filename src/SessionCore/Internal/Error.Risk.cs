namespace SessionCore.Internal;

/// <summary>Messages of the sign-in risk check and client-address resolution.</summary>
internal static partial class Error
{
    public const string TravelSpeedOutOfRange = "MaxTravelSpeedKmh must be between 100 and 10,000 km/h.";
    public const string RiskReasonInvalid = "Each key of Actions must be a single sign-in risk reason, not None or a combination.";
    public const string RiskActionInvalid = "Each value of Actions must be a defined SignInRiskAction.";
    public const string TrustedProxyInvalid = "A trusted proxy must be an IPv4 or IPv6 address, or a CIDR range of one (for example 10.0.0.0/8 or 2001:db8::/32), with no host bits set.";
    public const string ForwardingHeaderInvalid = "Header must be XForwardedFor or Forwarded.";
}
