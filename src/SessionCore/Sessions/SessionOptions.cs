using System;
using SessionCore.Stores;

namespace SessionCore.Sessions;

/// <summary>
/// Settings of the session manager. Every value has a safe default and bounds; the builder validates
/// them once, copies them and ignores later changes.
/// </summary>
/// <threadsafety>Not thread-safe; configure before building.</threadsafety>
public sealed class SessionOptions
{
    /// <summary>The longest <see cref="AbsoluteLifetime"/> accepted without <see cref="AllowLongLivedSessions"/>.</summary>
    public static readonly TimeSpan LongLivedThreshold = TimeSpan.FromDays(30);

    /// <summary>Gets or sets how long a session lives without use.</summary>
    /// <value>30 minutes; between 1 minute and 30 days, and not longer than <see cref="AbsoluteLifetime"/>.</value>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Gets or sets how long a session lives at most, however it is used.</summary>
    /// <value>12 hours; between 1 minute and 30 days (up to 400 days with <see cref="AllowLongLivedSessions"/>).</value>
    /// <remarks>Security: a long absolute lifetime lengthens the window in which a stolen token is useful.</remarks>
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Gets or sets a value indicating whether <see cref="AbsoluteLifetime"/> may exceed 30 days.</summary>
    /// <value><see langword="false"/>.</value>
    public bool AllowLongLivedSessions { get; set; }

    /// <summary>Gets or sets how often sliding renewal writes the last-seen time; validation inside the interval only reads.</summary>
    /// <value>1 minute; between 0 (write on every validation) and 1 hour, and shorter than <see cref="IdleTimeout"/>.</value>
    public TimeSpan RenewalInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets or sets how far in the future a stored time may lie before the session is treated as invalid.</summary>
    /// <value>1 minute; between 0 and 5 minutes.</value>
    /// <remarks>Security: a record written by a clock far ahead of this one is refused (fail closed).</remarks>
    public TimeSpan ClockSkewTolerance { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets or sets the most live sessions one user may have, or <see langword="null"/> for no limit.</summary>
    /// <value><see langword="null"/>; otherwise between 1 and 1000.</value>
    public int? MaxSessionsPerUser { get; set; }

    /// <summary>Gets or sets what happens when a sign-in would exceed <see cref="MaxSessionsPerUser"/>.</summary>
    /// <value><see cref="SessionLimitMode.EvictOldest"/>.</value>
    public SessionLimitMode LimitMode { get; set; } = SessionLimitMode.EvictOldest;

    /// <summary>Gets or sets the longest accepted user id, in characters.</summary>
    /// <value>1024; between 1 and 4096.</value>
    public int MaxUserIdLength { get; set; } = 1024;

    /// <summary>Gets or sets the most entries in a session's data bag.</summary>
    /// <value>32; between 0 and 256.</value>
    public int MaxDataEntries { get; set; } = 32;

    /// <summary>Gets or sets the most characters of keys and values together in a session's data bag.</summary>
    /// <value>4096; between 0 and 65536.</value>
    public int MaxDataLength { get; set; } = 4096;

    /// <summary>Gets or sets how many devices are remembered per user for new-device detection.</summary>
    /// <value>20; between 1 and 200.</value>
    public int MaxKnownDevicesPerUser { get; set; } = 20;
}
