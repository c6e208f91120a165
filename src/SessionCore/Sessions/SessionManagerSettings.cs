using System;
using SessionCore.Internal;
using SessionCore.Stores;

namespace SessionCore.Sessions;

/// <summary>The validated, immutable snapshot of <see cref="SessionOptions"/> the manager runs on.</summary>
internal sealed class SessionManagerSettings
{
    private SessionManagerSettings(SessionOptions o)
    {
        IdleTimeout = o.IdleTimeout;
        AbsoluteLifetime = o.AbsoluteLifetime;
        RenewalInterval = o.RenewalInterval;
        ClockSkewTolerance = o.ClockSkewTolerance;
        Limit = o.MaxSessionsPerUser is int max ? new SessionLimit(max, o.LimitMode) : SessionLimit.None;
        MaxUserIdLength = o.MaxUserIdLength;
        MaxDataEntries = o.MaxDataEntries;
        MaxDataLength = o.MaxDataLength;
        MaxKnownDevicesPerUser = o.MaxKnownDevicesPerUser;
        Rules = new SessionRules(o.IdleTimeout, o.AbsoluteLifetime, o.RenewalInterval, o.ClockSkewTolerance);
    }

    public SessionRules Rules { get; }

    public TimeSpan IdleTimeout { get; }

    public TimeSpan AbsoluteLifetime { get; }

    public TimeSpan RenewalInterval { get; }

    public TimeSpan ClockSkewTolerance { get; }

    public SessionLimit Limit { get; }

    public int MaxUserIdLength { get; }

    public int MaxDataEntries { get; }

    public int MaxDataLength { get; }

    public int MaxKnownDevicesPerUser { get; }

    /// <summary>Validates <paramref name="options"/> and snapshots them.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of its bounds.</exception>
    /// <exception cref="ArgumentException">Values contradict each other.</exception>
    public static SessionManagerSettings Create(SessionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        TimeSpan maxAbsolute = options.AllowLongLivedSessions ? TimeSpan.FromDays(400) : SessionOptions.LongLivedThreshold;
        if (!options.AllowLongLivedSessions && options.AbsoluteLifetime > SessionOptions.LongLivedThreshold)
        {
            throw new ArgumentOutOfRangeException(nameof(options), Error.LongAbsoluteLifetime);
        }

        Throw.IfOutOfRange(options.AbsoluteLifetime, TimeSpan.FromMinutes(1), maxAbsolute, "options.AbsoluteLifetime");
        Throw.IfOutOfRange(options.IdleTimeout, TimeSpan.FromMinutes(1), TimeSpan.FromDays(30), "options.IdleTimeout");
        Throw.IfOutOfRange(options.RenewalInterval, TimeSpan.Zero, TimeSpan.FromHours(1), "options.RenewalInterval");
        Throw.IfOutOfRange(options.ClockSkewTolerance, TimeSpan.Zero, TimeSpan.FromMinutes(5), "options.ClockSkewTolerance");
        Throw.IfOutOfRange(options.MaxUserIdLength, 1, 4096, "options.MaxUserIdLength");
        Throw.IfOutOfRange(options.MaxDataEntries, 0, 256, "options.MaxDataEntries");
        Throw.IfOutOfRange(options.MaxDataLength, 0, 65536, "options.MaxDataLength");
        Throw.IfOutOfRange(options.MaxKnownDevicesPerUser, 1, 200, "options.MaxKnownDevicesPerUser");
        if (options.MaxSessionsPerUser is int max && (max < 1 || max > 1000))
        {
            throw new ArgumentOutOfRangeException(nameof(options), Error.SessionLimitInvalid);
        }

        if (!Enum.IsDefined(options.LimitMode))
        {
            throw new ArgumentOutOfRangeException(nameof(options), Error.LimitModeInvalid);
        }

        if (options.IdleTimeout > options.AbsoluteLifetime)
        {
            throw new ArgumentException(Error.IdleLongerThanAbsolute, nameof(options));
        }

        if (options.RenewalInterval >= options.IdleTimeout)
        {
            throw new ArgumentException(Error.RenewalNotShorterThanIdle, nameof(options));
        }

        return new SessionManagerSettings(options);
    }
}
