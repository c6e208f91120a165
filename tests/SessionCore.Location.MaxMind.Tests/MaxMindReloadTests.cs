using System;
using System.Collections.Concurrent;
using System.IO;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using MaxMind.Db;
using Microsoft.Extensions.Time.Testing;
using SessionCore.Location.MaxMind.Internal;
using SessionCore.Risk;
using Xunit;

namespace SessionCore.Location.MaxMind.Tests;

public sealed class MaxMindReloadTests : IDisposable
{
    private static readonly IPAddress s_address = IPAddress.Parse("81.2.69.142");
    private readonly TestFiles _files = new();
    private readonly string _city;
    private readonly string _paris;

    public MaxMindReloadTests()
    {
        _city = _files.File("GeoLite2-City.mmdb");
        TestFiles.Replace(_city, TestFiles.City, 0);

        // A second, valid city database in which the London address is in Paris.
        _paris = _files.File("paris.mmdb");
        MmdbWriter.Write(_paris, "GeoLite2-City", 6, [("81.2.69.0/24", MmdbWriter.City("FR", "Paris", 48.8566, 2.3522, 20))]);
    }

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Reload_FileReplaced_ServesTheNewData()
    {
        using MaxMindLocationProvider provider = Open(TimeSpan.Zero);
        Assert.Equal("London", provider.Lookup(s_address).Value.City);

        TestFiles.Replace(_city, _paris, 1);
        bool reloaded = provider.Reload();

        Assert.True(reloaded);
        Assert.Equal("Paris", provider.Lookup(s_address).Value.City);
        Assert.Equal("GeoLite2-City", provider.City!.DatabaseType);
    }

    [Fact]
    public void Reload_Unchanged_DoesNothing()
    {
        using MaxMindLocationProvider provider = Open(TimeSpan.Zero);

        Assert.False(provider.Reload());
        Assert.Equal("GeoIP2-City", provider.City!.DatabaseType);
    }

    [Fact]
    public void Reload_FileMissingForAMoment_KeepsTheOldData()
    {
        using MaxMindLocationProvider provider = Open(TimeSpan.Zero);
        File.Delete(_city);

        Assert.False(provider.Reload());
        Assert.Equal("London", provider.Lookup(s_address).Value.City);
    }

    [Fact]
    public void Timer_FileReplaced_SwapsAtTheNextCheck()
    {
        FakeTimeProvider time = new();
        using MaxMindLocationProvider provider = Open(TimeSpan.FromMinutes(5), time);
        TestFiles.Replace(_city, _paris, 1);

        time.Advance(TimeSpan.FromMinutes(4));
        string before = provider.Lookup(s_address).Value.City!;
        time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal("London", before);
        Assert.Equal("Paris", provider.Lookup(s_address).Value.City);
        Assert.Null(provider.LastReloadFailure);
    }

    [Fact]
    public void Reload_BrokenReplacement_IsRefusedAndTheOldDataServed()
    {
        using MaxMindLocationProvider provider = Open(TimeSpan.Zero);
        TestFiles.Replace(_city, TestFiles.BrokenDouble, 1);

        MaxMindDatabaseException ex = Assert.Throws<MaxMindDatabaseException>(() => provider.Reload());

        Assert.Equal(MaxMindDatabaseProblem.Corrupt, ex.Problem);
        Assert.Equal("London", provider.Lookup(s_address).Value.City);
        Assert.Same(ex, provider.LastReloadFailure);
        Assert.False(provider.Reload()); // not tried again until the file changes

        TestFiles.Replace(_city, _paris, 2);
        Assert.True(provider.Reload());
        Assert.Equal("Paris", provider.Lookup(s_address).Value.City);
        Assert.Null(provider.LastReloadFailure);
    }

    [Fact]
    public void Timer_TruncatedReplacement_IsRecordedNotThrown()
    {
        FakeTimeProvider time = new();
        using MaxMindLocationProvider provider = Open(TimeSpan.FromMinutes(1), time);
        byte[] whole = File.ReadAllBytes(TestFiles.City);
        string half = _files.File("half.mmdb");
        File.WriteAllBytes(half, whole[..(whole.Length / 2)]);
        TestFiles.Replace(_city, half, 1);

        time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(MaxMindDatabaseProblem.Truncated, provider.LastReloadFailure!.Problem);
        Assert.Equal("London", provider.Lookup(s_address).Value.City);
    }

    [Fact]
    public void Timer_AfterDispose_NeverFires()
    {
        FakeTimeProvider time = new();
        MaxMindLocationProvider provider = Open(TimeSpan.FromMinutes(1), time);
        provider.Dispose();
        TestFiles.Replace(_city, _paris, 1);

        time.Advance(TimeSpan.FromMinutes(5));

        Assert.Null(provider.LastReloadFailure);
    }

    [Fact]
    public async Task Reload_WhileLookupsRun_EveryLookupSeesOneWholeFile()
    {
        using MaxMindLocationProvider provider = Open(TimeSpan.Zero);
        ConcurrentBag<string> answers = [];
        using CancellationTokenSource stop = new();
        Task[] readers = new Task[4];
        for (int i = 0; i < readers.Length; i++)
        {
            readers[i] = Task.Run(
                () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    LocationLookupResult result = provider.Lookup(s_address);
                    answers.Add(result.IsSuccess ? $"{result.Value.City}/{result.Value.CountryCode}" : result.Status.ToString());
                }
            },
                TestContext.Current.CancellationToken);
        }

        for (int generation = 1; generation <= 40; generation++)
        {
            TestFiles.Replace(_city, generation % 2 == 1 ? _paris : TestFiles.City, generation);
            Assert.True(provider.Reload());
        }

        await stop.CancelAsync();
        await Task.WhenAll(readers);

        Assert.All(answers, answer => Assert.True(answer is "London/GB" or "Paris/FR", answer));
        Assert.Equal("London", provider.Lookup(s_address).Value.City);
    }

    [Fact]
    public void Lease_ReleasedBySlotWhileALookupHoldsIt_DisposesTheReaderOnlyAfterTheLookup()
    {
        Reader reader = new(TestFiles.City, FileAccessMode.MemoryMapped);
        ReaderLease lease = new(reader, default, new MaxMindDatabaseInfo(TestFiles.City, "GeoIP2-City", DateTimeOffset.UnixEpoch, 6));

        Assert.True(lease.TryAcquire()); // a lookup in flight
        lease.Release(); // swapped out by a reload
        CityRecord? during = reader.Find<CityRecord>(s_address);
        lease.Release(); // the lookup ends

        Assert.Equal("London", during!.City!.Names!.En);
        Assert.False(lease.TryAcquire());
        Assert.Throws<ObjectDisposedException>(() => reader.Find<CityRecord>(s_address));
        Assert.Throws<InvalidOperationException>(lease.Release);
    }

    private MaxMindLocationProvider Open(TimeSpan interval, TimeProvider? time = null) =>
        new(new MaxMindLocationOptions { CityDatabasePath = _city, ReloadCheckInterval = interval }, time);
}
