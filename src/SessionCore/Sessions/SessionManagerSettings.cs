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

    /// <summary>Validates <paramref name="options"/> and snapshots them; every problem is reported at once.</summary>
    /// <exception cref="ArgumentOutOfRangeException">One value is out of its bounds.</exception>
    /// <exception cref="ArgumentException">Values contradict each other, or several problems were found (each listed).</exception>
    public static SessionManagerSettings Create(SessionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        OptionProblems problems = new();
        TimeSpan maxAbsolute = options.AllowLongLivedSessions ? TimeSpan.FromDays(400) : SessionOptions.LongLivedThreshold;
        bool absolute = false;
        if (!options.AllowLongLivedSessions && options.AbsoluteLifetime > SessionOptions.LongLivedThreshold)
        {
            problems.Add(new ArgumentOutOfRangeException(nameof(options), Error.LongAbsoluteLifetime));
        }
        else
        {
            absolute = problems.InRange(options.AbsoluteLifetime, TimeSpan.FromMinutes(1), maxAbsolute, "options.AbsoluteLifetime");
        }

        bool idle = problems.InRange(options.IdleTimeout, TimeSpan.FromMinutes(1), TimeSpan.FromDays(30), "options.IdleTimeout");
        bool renewal = problems.InRange(options.RenewalInterval, TimeSpan.Zero, TimeSpan.FromHours(1), "options.RenewalInterval");
        _ = problems.InRange(options.ClockSkewTolerance, TimeSpan.Zero, TimeSpan.FromMinutes(5), "options.ClockSkewTolerance");
        _ = problems.InRange(options.MaxUserIdLength, 1, 4096, "options.MaxUserIdLength");
        _ = problems.InRange(options.MaxDataEntries, 0, 256, "options.MaxDataEntries");
        _ = problems.InRange(options.MaxDataLength, 0, 65536, "options.MaxDataLength");
        _ = problems.InRange(options.MaxKnownDevicesPerUser, 1, 200, "options.MaxKnownDevicesPerUser");
        if (options.MaxSessionsPerUser is int max && (max < 1 || max > 1000))
        {
            problems.Add(new ArgumentOutOfRangeException(nameof(options), Error.SessionLimitInvalid));
        }

        if (!Enum.IsDefined(options.LimitMode))
        {
            problems.Add(new ArgumentOutOfRangeException(nameof(options), Error.LimitModeInvalid));
        }

        // Values compared only when each is in range: a bad value is reported once, not again as a contradiction.
        if (absolute && idle && options.IdleTimeout > options.AbsoluteLifetime)
        {
            problems.Add(new ArgumentException(Error.IdleLongerThanAbsolute, nameof(options)));
        }

        if (renewal && idle && options.RenewalInterval >= options.IdleTimeout)
        {
            problems.Add(new ArgumentException(Error.RenewalNotShorterThanIdle, nameof(options)));
        }

        problems.ThrowIfAny(nameof(options));
        return new SessionManagerSettings(options);
    }
}
