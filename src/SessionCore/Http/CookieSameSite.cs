namespace SessionCore.Http;

/// <summary>The <c>SameSite</c> attribute of a cookie.</summary>
public enum CookieSameSite
{
    /// <summary>Sent only with same-site requests (the default; strongest against cross-site request forgery).</summary>
    Strict = 0,

    /// <summary>Also sent with top-level cross-site navigations using safe methods (for example following a link from an e-mail).</summary>
    Lax = 1,

    /// <summary>Sent with every request; requires <c>Secure</c>. Only for deliberate cross-site embedding.</summary>
    None = 2,
}
