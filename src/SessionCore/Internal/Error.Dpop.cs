namespace SessionCore.Internal;

/// <summary>Messages of the DPoP area. None carries a proof, a key, a nonce or any claim value.</summary>
internal static partial class Error
{
    public const string DpopReplayScopeMissing = "DpopOptions.ReplayScope must be set (the identifier of this authorization or resource server).";
    public const string DpopReplayScopeTooLong = "DpopOptions.ReplayScope must be at most 1024 UTF-8 bytes.";
    public const string DpopAlgorithmsInvalid = "DpopOptions.AllowedAlgorithms must name at least one supported algorithm and nothing else.";
    public const string DpopNonceKeyLength = "DpopOptions.NonceKey must be empty (a per-process key is generated) or 32 to 64 bytes.";
    public const string DpopNonceKeyWeak = "DpopOptions.NonceKey must not consist of one repeated byte value.";
    public const string DpopStoreMissing = "DPoP replay protection needs a session store. Set Store (or register an ISessionStore).";
    public const string DpopMethodInvalid = "The request method must be a non-empty HTTP token (RFC 9110), for example GET or POST.";
    public const string DpopTargetUriMissing = "The request's target URI must be set (an absolute http or https URI).";
    public const string DpopRealmInvalid = "The realm must be printable ASCII without control characters.";
    public const string DpopErrorUnknown = "The challenge error is not one of the defined values.";
}
