namespace SessionCore.Dpop;

/// <summary>The HTTP field and scheme names of DPoP (RFC 9449 §4.1, §7.1, §8).</summary>
public static class DpopHeaderNames
{
    /// <summary>The request header carrying the proof: <c>DPoP</c>.</summary>
    public const string Dpop = "DPoP";

    /// <summary>The response header carrying the next nonce: <c>DPoP-Nonce</c>. Expose it to browser clients with <c>Access-Control-Expose-Headers</c>.</summary>
    public const string DpopNonce = "DPoP-Nonce";

    /// <summary>The response header carrying challenges: <c>WWW-Authenticate</c> (see <see cref="DpopChallenge"/>).</summary>
    public const string WwwAuthenticate = "WWW-Authenticate";

    /// <summary>The authentication scheme of DPoP-bound access tokens in <c>Authorization</c>: <c>DPoP</c>.</summary>
    public const string Scheme = "DPoP";
}
