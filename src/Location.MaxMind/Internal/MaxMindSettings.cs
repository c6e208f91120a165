using System;

namespace SessionCore.Location.MaxMind.Internal;

/// <summary>The validated, immutable snapshot of <see cref="MaxMindLocationOptions"/>.</summary>
internal sealed class MaxMindSettings
{
    private MaxMindSettings(string? cityPath, string? asnPath, TimeSpan interval)
    {
        CityPath = cityPath;
        AsnPath = asnPath;
        ReloadCheckInterval = interval;
    }

    public string? CityPath { get; }

    public string? AsnPath { get; }

    public TimeSpan ReloadCheckInterval { get; }

    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">No path, a blank path, or an interval out of bounds.</exception>
    public static MaxMindSettings Create(MaxMindLocationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.CityDatabasePath is null && options.AsnDatabasePath is null)
        {
            throw new ArgumentException(Error.NoDatabase, nameof(options));
        }

        if ((options.CityDatabasePath is not null && string.IsNullOrWhiteSpace(options.CityDatabasePath))
            || (options.AsnDatabasePath is not null && string.IsNullOrWhiteSpace(options.AsnDatabasePath)))
        {
            throw new ArgumentException(Error.EmptyPath, nameof(options));
        }

        TimeSpan interval = options.ReloadCheckInterval;
        if (interval != TimeSpan.Zero && (interval < MaxMindLocationOptions.MinReloadCheckInterval || interval > MaxMindLocationOptions.MaxReloadCheckInterval))
        {
            throw new ArgumentOutOfRangeException(nameof(options), Error.IntervalOutOfRange);
        }

        return new MaxMindSettings(options.CityDatabasePath, options.AsnDatabasePath, interval);
    }
}
