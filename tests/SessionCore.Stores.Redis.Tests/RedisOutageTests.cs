using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using SessionCore.Sessions;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.Stores.Redis.Tests;

/// <summary>
/// Runs its own redis-server on a free port, stops it in the middle of the test and starts it again: the
/// manager must fail closed while the server is gone and work again once it is back.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RedisOutageTests
{
    private const string ShortTimeouts = "connectTimeout=500,syncTimeout=1000,asyncTimeout=1000,connectRetry=1,abortConnect=false";

    [Fact]
    public async Task Validate_ServerStoppedThenRestarted_FailsClosedThenRecovers()
    {
        string? binary = FindOnPath("redis-server");
        Assert.SkipWhen(binary is null, "redis-server is not on PATH; install it (Debian: apt-get install redis-server) to run the outage test.");
        int port = FreePort();
        string directory = Directory.CreateTempSubdirectory("sessioncore-redis-").FullName;
        Process? server = null;
        try
        {
            server = await StartAsync(binary, port, directory);
            await using RedisSessionStore store = new(new RedisSessionStoreOptions { Configuration = $"127.0.0.1:{port},{ShortTimeouts}" });
            SessionManager manager = new SessionManagerBuilder { Store = store }.Build();
            SignInResult signIn = await manager.SignInAsync(new SignInRequest("outage-user"), TestContext.Current.CancellationToken);
            SessionToken token = signIn.Value;
            Assert.Equal(SessionValidationStatus.Valid, (await manager.ValidateAsync(token, TestContext.Current.CancellationToken)).Status);

            server.Kill();
            await server.WaitForExitAsync(TestContext.Current.CancellationToken);
            server.Dispose();
            server = null;

            Stopwatch down = Stopwatch.StartNew();
            SessionValidationResult failed = await manager.ValidateAsync(token, TestContext.Current.CancellationToken);
            down.Stop();
            Assert.Equal(SessionValidationStatus.StoreUnavailable, failed.Status);
            Assert.False(failed.IsValid);
            Assert.True(down.Elapsed < TimeSpan.FromSeconds(10), "Failing closed took " + down.Elapsed);
            Assert.Equal(SignInStatus.StoreUnavailable, (await manager.SignInAsync(new SignInRequest("outage-user"), TestContext.Current.CancellationToken)).Status);

            // The append-only file with fsync on every write brings the session back with the server.
            server = await StartAsync(binary, port, directory);
            SessionValidationStatus status = SessionValidationStatus.StoreUnavailable;
            Stopwatch recovery = Stopwatch.StartNew();
            while (recovery.Elapsed < TimeSpan.FromSeconds(30))
            {
                status = (await manager.ValidateAsync(token, TestContext.Current.CancellationToken)).Status;
                if (status != SessionValidationStatus.StoreUnavailable)
                {
                    break;
                }

                await Task.Delay(200, TestContext.Current.CancellationToken);
            }

            Assert.Equal(SessionValidationStatus.Valid, status);
        }
        finally
        {
            if (server is not null)
            {
                server.Kill();
                await server.WaitForExitAsync(TestContext.Current.CancellationToken);
                server.Dispose();
            }

            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<Process> StartAsync(string binary, int port, string directory)
    {
        ProcessStartInfo start = new(binary)
        {
            ArgumentList = { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes", "--appendfsync", "always", "--dir", directory },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Stopwatch waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(15))
        {
            try
            {
                using TcpClient client = new();
                await client.ConnectAsync(IPAddress.Loopback, port);
                await using NetworkStream stream = client.GetStream();
                await stream.WriteAsync("PING\r\n"u8.ToArray());
                byte[] reply = new byte[7];
                int read = await stream.ReadAsync(reply);
                if (read >= 5 && reply[0] == (byte)'+')
                {
                    return process;
                }
            }
            catch (SocketException)
            {
            }
            catch (IOException)
            {
            }

            await Task.Delay(50);
        }

        process.Kill();
        throw new InvalidOperationException("redis-server did not start.");
    }

    private static int FreePort()
    {
        using TcpListener listener = new(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? FindOnPath(string name)
    {
        foreach (string directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
