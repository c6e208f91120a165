using System;
using StackExchange.Redis;

namespace SessionCore.Stores.Redis.Internal;

/// <summary>The validated, immutable copy of <see cref="RedisSessionStoreOptions"/>.</summary>
internal sealed class RedisStoreSettings
{
    private RedisStoreSettings(ConfigurationOptions? configuration, IConnectionMultiplexer? multiplexer, string prefix, int database, long graceMilliseconds)
    {
        Configuration = configuration;
        Multiplexer = multiplexer;
        Prefix = prefix;
        Database = database;
        GraceMilliseconds = graceMilliseconds;
    }

    public ConfigurationOptions? Configuration { get; }

    public IConnectionMultiplexer? Multiplexer { get; }

    public string Prefix { get; }

    public int Database { get; }

    public long GraceMilliseconds { get; }

    public static RedisStoreSettings Create(RedisSessionStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        bool hasConfiguration = !string.IsNullOrWhiteSpace(options.Configuration);
        if (hasConfiguration == (options.ConnectionMultiplexer is not null))
        {
            throw new ArgumentException(Error.NoConnection, nameof(options));
        }

        string prefix = options.KeyPrefix;
        if (string.IsNullOrEmpty(prefix) || prefix.Length > 64 || prefix.AsSpan().IndexOfAny("{} ") >= 0 || HasControlOrSpace(prefix))
        {
            throw new ArgumentException(Error.BadPrefix, nameof(options));
        }

        if (options.Database < -1 || options.Database > 1023)
        {
            throw new ArgumentOutOfRangeException(nameof(options), Error.DatabaseOutOfRange);
        }

        if (options.ExpiryGrace < TimeSpan.FromSeconds(1) || options.ExpiryGrace > TimeSpan.FromDays(1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), Error.GraceOutOfRange);
        }

        ConfigurationOptions? configuration = null;
        if (hasConfiguration)
        {
            configuration = ConfigurationOptions.Parse(options.Configuration!);
            if (options.Configuration!.IndexOf("abortConnect", StringComparison.OrdinalIgnoreCase) < 0)
            {
                configuration.AbortOnConnectFail = false;
            }
        }

        return new RedisStoreSettings(configuration, options.ConnectionMultiplexer, prefix, options.Database, (long)options.ExpiryGrace.TotalMilliseconds);
    }

    private static bool HasControlOrSpace(string value)
    {
        foreach (char c in value)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c))
            {
                return true;
            }
        }

        return false;
    }
}
