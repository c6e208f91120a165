using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Sessions;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.Stores.LiteDb.Tests;

public sealed class CrashSafetyTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static Process StartWriter(string path)
    {
        string writer = Path.Combine(AppContext.BaseDirectory, "SessionCore.Stores.LiteDb.CrashWriter.dll");
        Assert.True(File.Exists(writer), "The crash writer must be built next to the tests.");
        ProcessStartInfo start = new("dotnet") { RedirectStandardOutput = true, RedirectStandardError = false, UseShellExecute = false };
        start.ArgumentList.Add(writer);
        start.ArgumentList.Add(path);
        return Process.Start(start)!;
    }

    [Fact]
    public async Task Open_FileOwnedByAnotherProcess_ThrowsUntilThatProcessEnds()
    {
        string path = _folder.File("owned.db");
        using Process child = StartWriter(path);
        using CancellationTokenSource timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        Assert.Equal("ready", await child.StandardOutput.ReadLineAsync(timeout.Token));

        SessionStoreException ex = Assert.Throws<SessionStoreException>(() => new LiteDbSessionStore(new LiteDbSessionStoreOptions { FilePath = path, PurgeInterval = null }));

        child.Kill(entireProcessTree: true);
        await child.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.DoesNotContain(path, ex.Message, StringComparison.Ordinal);
        using LiteDbSessionStore reopened = new(new LiteDbSessionStoreOptions { FilePath = path, PurgeInterval = null });
    }

    [Fact]
    public void Open_SameFileTwiceInOneProcess_Throws()
    {
        string path = _folder.File("twice.db");
        using LiteDbSessionStore first = new(new LiteDbSessionStoreOptions { FilePath = path, PurgeInterval = null });

        Assert.Throws<SessionStoreException>(() => new LiteDbSessionStore(new LiteDbSessionStoreOptions { FilePath = path, PurgeInterval = null }));
    }

    [Fact]
    public async Task Kill_MidStream_EveryAcknowledgedWriteSurvivesAndFileOpens()
    {
        string path = _folder.File("crash.db");
        List<string> acknowledged = [];

        using (Process child = StartWriter(path))
        {
            using CancellationTokenSource timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            Assert.Equal("ready", await child.StandardOutput.ReadLineAsync(timeout.Token));
            while (acknowledged.Count < 300)
            {
                string? line = await child.StandardOutput.ReadLineAsync(timeout.Token);
                Assert.NotNull(line);
                acknowledged.Add(line);
            }

            // SIGKILL on Unix: no finalizers, no dispose, no flush. Lines still buffered in the pipe count too.
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync(TestContext.Current.CancellationToken);
            string? rest;
            while ((rest = await child.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken)) is not null)
            {
                if (SessionId.TryParse(rest, out _))
                {
                    acknowledged.Add(rest);
                }
            }
        }

        using LiteDbSessionStore reopened = new(new LiteDbSessionStoreOptions { FilePath = path, PurgeInterval = null });
        foreach (string id in acknowledged)
        {
            Assert.NotNull(await reopened.FindAsync(SessionId.Parse(id), TestContext.Current.CancellationToken));
        }

        // The file is usable after the crash: a new write and a purge go through.
        Session session = Records.NewSession("after-crash");
        Assert.True((await reopened.CreateAsync(Records.SignIn(session), TestContext.Current.CancellationToken)).IsSuccess);
        Assert.True(await reopened.PurgeExpiredAsync(Records.T0.AddDays(1), TestContext.Current.CancellationToken) >= 1);
    }
}
