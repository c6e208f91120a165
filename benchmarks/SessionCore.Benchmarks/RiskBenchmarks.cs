using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using MaxMind.Db;
using SessionCore.Devices;
using SessionCore.Location.MaxMind;
using SessionCore.Location.MaxMind.Internal;
using SessionCore.Risk;
using SessionCore.Stores;

namespace SessionCore.Benchmarks;

/// <summary>
/// The whole sign-in risk check (a city and an ASN lookup, then the evaluation against three remembered devices)
/// against one raw <c>MaxMind.Db</c> lookup of the same city record. The sign-in is the costliest kind: both
/// databases know the address and the journey is impossible, so every object is built. Read p99 from a run with one
/// invocation per iteration (see benchmarks/README.md), so each sample is one sign-in.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(PercentileConfig))]
public class RiskBenchmarks
{
    private static readonly DateTimeOffset s_now = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);
    private readonly IPAddress _address = IPAddress.Parse("89.160.20.112"); // Linköping, AS29518
    private Reader _rawCity = null!;
    private MaxMindLocationProvider _provider = null!;
    private SignInRiskEvaluator _evaluator = null!;
    private DeviceFingerprint _device = null!;
    private KnownDevice[] _known = [];
    private Dictionary<string, CoarseLocation?> _places = [];
    private Func<KnownDevice, CoarseLocation?> _lastPlace = null!;
    private LocationLookupResult _lookup = null!;

    [GlobalSetup]
    public void Setup()
    {
        string vectors = VectorFolder();
        _rawCity = new Reader(Path.Combine(vectors, "GeoIP2-City-Test.mmdb"), FileAccessMode.MemoryMapped);
        _provider = new MaxMindLocationProvider(new MaxMindLocationOptions
        {
            CityDatabasePath = Path.Combine(vectors, "GeoIP2-City-Test.mmdb"),
            AsnDatabasePath = Path.Combine(vectors, "GeoLite2-ASN-Test.mmdb"),
            ReloadCheckInterval = TimeSpan.Zero,
        });
        _evaluator = new SignInRiskEvaluator(null, _provider);
        _device = DeviceFingerprint.FromClient(new ClientInfo("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", _address, null));
        (string Address, string UserAgent, GeoLocation Place, int HoursAgo)[] history =
        [
            ("81.2.69.142", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36", Place(51.5142, -0.0931, 10, "GB", "London", 20712), 1),
            ("214.78.120.1", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Version/17.0 Mobile/15E148 Safari/604.1", Place(32.7405, -117.0935, 100, "US", "San Diego", 721), 30),
            ("175.16.199.1", "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0", Place(43.88, 125.3228, 100, "CN", "Changchun", null), 72),
        ];
        _known = [.. history.Select(h =>
        {
            DeviceFingerprint fp = DeviceFingerprint.FromClient(new ClientInfo(h.UserAgent, IPAddress.Parse(h.Address), null));
            return new KnownDevice(fp.Key, fp.DeviceIdHash, fp.UserAgentFamily, fp.Network, s_now.AddDays(-30), s_now.AddHours(-h.HoursAgo));
        })];
        _places = _known.Zip(history).ToDictionary(p => p.First.Key, p => CoarseLocation.FromLocation(p.Second.Place));
        _lastPlace = d => _places[d.Key];
        _lookup = _provider.Lookup(_address);
        if (!Assess().Has(SignInRiskReason.ImpossibleTravel))
        {
            throw new InvalidOperationException("The benchmark sign-in should take the costliest path (impossible travel).");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _provider.Dispose();
        _rawCity.Dispose();
    }

    [Benchmark(Baseline = true)]
    public object? RawMaxMindCityLookup() => _rawCity.Find<CityRecord>(_address);

    [Benchmark]
    public LocationLookupResult CityAndAsnLookup() => _provider.Lookup(_address);

    [Benchmark]
    public SignInRiskAssessment EvaluateOnly() => _evaluator.Evaluate(_device, _lookup, s_now, _known, _lastPlace);

    [Benchmark]
    public SignInRiskAssessment Assess() => _evaluator.Assess(_device, _address, s_now, _known, _lastPlace);

    private static GeoLocation Place(double latitude, double longitude, int radius, string country, string city, long? asn) => new()
    {
        Latitude = latitude, Longitude = longitude, AccuracyRadiusKm = radius, CountryCode = country, City = city, AutonomousSystemNumber = asn,
    };

    // The MaxMind test databases live in the test project; find them from wherever BenchmarkDotNet runs the code.
    private static string VectorFolder()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "SessionCore.Location.MaxMind.Tests", "Vectors");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("tests/SessionCore.Location.MaxMind.Tests/Vectors not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Adds the median, p95 and p99 of the iteration times.</summary>
    private sealed class PercentileConfig : ManualConfig
    {
        public PercentileConfig() => AddColumn(StatisticColumn.P50, StatisticColumn.P95, new P99Column());
    }

    /// <summary>The 99th percentile of the iteration times (BenchmarkDotNet predefines P0 to P100 without P99).</summary>
    private sealed class P99Column : IColumn
    {
        public string Id => "P99";

        public string ColumnName => "P99";

        public bool AlwaysShow => true;

        public ColumnCategory Category => ColumnCategory.Statistics;

        public int PriorityInCategory => 10;

        public bool IsNumeric => true;

        public UnitType UnitType => UnitType.Time;

        public string Legend => "99th percentile of the iteration times";

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var statistics = summary[benchmarkCase]?.ResultStatistics;
            if (statistics is null)
            {
                return "NA";
            }

            // Always in microseconds, the unit of the target (p99 at most 20 μs per sign-in).
            return (statistics.Percentiles.Percentile(99) / 1000).ToString("0.000", System.Globalization.CultureInfo.InvariantCulture) + " μs";
        }

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    }
}
