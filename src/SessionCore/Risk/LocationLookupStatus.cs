namespace SessionCore.Risk;

/// <summary>The outcome of looking up where a client address is.</summary>
public enum LocationLookupStatus
{
    /// <summary>The provider knows something of the address (some fields may still be unknown).</summary>
    Found = 0,

    /// <summary>No address was available (the host passed none, or it could not be determined from the connection and trusted proxies).</summary>
    NoAddress = 1,

    /// <summary>The provider has no data for the address (private, reserved or simply absent from its data).</summary>
    NotFound = 2,

    /// <summary>
    /// The provider failed (no location provider configured, a database that cannot be read, an unexpected error).
    /// Sign-in goes on with the location unknown.
    /// </summary>
    Unavailable = 3,
}
