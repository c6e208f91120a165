namespace SessionCore.Http;

/// <summary>Why a credential was or was not read from a request header. The reason never echoes input.</summary>
public enum HeaderValueStatus
{
    /// <summary>Exactly one well-formed value was found.</summary>
    Found = 0,

    /// <summary>The header is absent or empty, or holds no value of that name.</summary>
    NotFound = 1,

    /// <summary>The header uses another authentication scheme (for <c>Authorization</c> only).</summary>
    OtherScheme = 2,

    /// <summary>The value is present but breaks the grammar (quoted, control characters, bad b64token, empty).</summary>
    Malformed = 3,

    /// <summary>The cookie name occurs more than once; refused as ambiguous (defeats cookie tossing).</summary>
    Ambiguous = 4,

    /// <summary>The header is longer than the size cap or holds more cookies than are scanned.</summary>
    TooLarge = 5,
}
