using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using SessionCore.Keys;

namespace SessionCore.Samples.DemoHost;

/// <summary>
/// The command line: <c>--urls http://127.0.0.1:5080 [--data DIR] [--max-sessions N] [--refresh-grace SECONDS]
/// [--signing-alg ES256|EdDSA|RS256|PS256] [--geoip-city FILE] [--geoip-asn FILE] [--trusted-proxy ADDRESS]...
/// [--redis CONFIG [--redis-prefix PREFIX]] [--node-cache SECONDS] [--require-dpop] [--dbsc-cookie-seconds N]</c>.
/// </summary>
internal sealed class HostSettings
{
    private readonly List<string> _trustedProxies = [];

    public Uri BaseUri { get; private set; } = new("http://127.0.0.1:5080/");

    public string DataDirectory { get; private set; } = Path.Combine(".data", "demohost");

    public int? MaxSessionsPerUser { get; private set; }

    public TimeSpan RefreshGrace { get; private set; } = TimeSpan.FromSeconds(10);

    /// <summary>The algorithm of the access-token signing key: ES256 by default; RS256 or PS256 for verifiers that accept RSA only.</summary>
    public SigningAlgorithm SigningAlgorithm { get; private set; } = SigningAlgorithm.Es256;

    /// <summary>The MaxMind city database (GeoLite2/GeoIP2 City .mmdb), or <see langword="null"/>.</summary>
    public string? GeoIpCityFile { get; private set; }

    /// <summary>The MaxMind ASN database (GeoLite2 ASN .mmdb), or <see langword="null"/>.</summary>
    public string? GeoIpAsnFile { get; private set; }

    /// <summary>Proxies (addresses or CIDR ranges) whose <c>X-Forwarded-For</c> is believed.</summary>
    public IReadOnlyList<string> TrustedProxies => _trustedProxies;

    /// <summary>A StackExchange.Redis configuration string: sessions live in Redis (shared by every node) instead of LiteDB.</summary>
    public string? Redis { get; private set; }

    /// <summary>The Redis key prefix, so several demo deployments can share a server.</summary>
    public string RedisPrefix { get; private set; } = "demo:";

    /// <summary>The node cache's staleness bound, or <see langword="null"/> for no node cache.</summary>
    public TimeSpan? NodeCache { get; private set; }

    /// <summary>Whether every API client must use DPoP (RFC 9449): bound tokens only, a proof at the token endpoint and on every API call.</summary>
    public bool RequireDpop { get; private set; }

    /// <summary>The lifetime of the short-lived DBSC bound cookie: 10 minutes by default, 30 to 3600 seconds.</summary>
    public TimeSpan DbscCookieLifetime { get; private set; } = TimeSpan.FromMinutes(10);

    /// <summary>The origin browsers send in <c>Origin</c> for this host (<c>scheme://host:port</c>).</summary>
    public string Origin => BaseUri.GetLeftPart(UriPartial.Authority);

    public static bool TryParse(string[] args, out HostSettings settings, out string? error)
    {
        settings = new HostSettings();
        error = null;
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            if (name == "--require-dpop")
            {
                settings.RequireDpop = true;
                continue;
            }

            string? value = i + 1 < args.Length ? args[i + 1] : null;
            if (value is null)
            {
                error = $"{name} needs a value";
                return false;
            }

            i++;
            switch (name)
            {
                case "--urls":
                    // Only one plain-HTTP loopback-style URL: the sample has no TLS of its own.
                    string first = value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
                    if (!Uri.TryCreate(first, UriKind.Absolute, out Uri? uri) || uri.Scheme != Uri.UriSchemeHttp || uri.AbsolutePath != "/" || uri.Query.Length != 0)
                    {
                        error = "--urls must be an http://host:port URL";
                        return false;
                    }

                    settings.BaseUri = uri;
                    break;
                case "--data":
                    settings.DataDirectory = value;
                    break;
                case "--max-sessions":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int max) || max < 1 || max > 1000)
                    {
                        error = "--max-sessions must be between 1 and 1000";
                        return false;
                    }

                    settings.MaxSessionsPerUser = max;
                    break;
                case "--refresh-grace":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int seconds) || seconds > 60)
                    {
                        error = "--refresh-grace must be between 0 and 60 seconds";
                        return false;
                    }

                    settings.RefreshGrace = TimeSpan.FromSeconds(seconds);
                    break;
                case "--signing-alg":
                    SigningAlgorithm? algorithm = value switch
                    {
                        "ES256" => SigningAlgorithm.Es256,
                        "EdDSA" => SigningAlgorithm.EdDsa,
                        "RS256" => SigningAlgorithm.Rs256,
                        "PS256" => SigningAlgorithm.Ps256,
                        _ => null,
                    };
                    if (algorithm is null)
                    {
                        error = "--signing-alg must be ES256, EdDSA, RS256 or PS256";
                        return false;
                    }

                    settings.SigningAlgorithm = algorithm;
                    break;
                case "--geoip-city":
                    settings.GeoIpCityFile = value;
                    break;
                case "--geoip-asn":
                    settings.GeoIpAsnFile = value;
                    break;
                case "--trusted-proxy":
                    // Checked when the resolver is built (an address or a CIDR range), so a typo fails at start-up.
                    settings._trustedProxies.Add(value);
                    break;
                case "--redis":
                    settings.Redis = value;
                    break;
                case "--redis-prefix":
                    settings.RedisPrefix = value;
                    break;
                case "--node-cache":
                    if (!double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double staleness) || staleness <= 0 || staleness > 30)
                    {
                        error = "--node-cache must be more than 0 and at most 30 seconds";
                        return false;
                    }

                    settings.NodeCache = TimeSpan.FromSeconds(staleness);
                    break;
                case "--dbsc-cookie-seconds":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int cookieSeconds) || cookieSeconds < 30 || cookieSeconds > 3600)
                    {
                        error = "--dbsc-cookie-seconds must be between 30 and 3600";
                        return false;
                    }

                    settings.DbscCookieLifetime = TimeSpan.FromSeconds(cookieSeconds);
                    break;
                default:
                    error = $"unknown option {name}";
                    return false;
            }
        }

        return true;
    }
}
