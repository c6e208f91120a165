namespace SessionCore.Http;

/// <summary>What <see cref="UrlTokenDetector"/> found in a URL.</summary>
public enum UrlTokenFinding
{
    /// <summary>Nothing that looks like a credential.</summary>
    None = 0,

    /// <summary>A query, fragment or path parameter with a credential-like name (<c>access_token</c>, <c>session</c>, <c>sid</c>, ...).</summary>
    SensitiveParameterName = 1,

    /// <summary>A value that looks like a SessionCore token (<c>sc_</c>, <c>scr_</c>) or a JWT.</summary>
    TokenLikeValue = 2,

    /// <summary>The URL is longer than <see cref="UrlTokenDetector.MaxUrlLength"/> and was not scanned; treat it as suspect.</summary>
    TooLong = 3,
}
