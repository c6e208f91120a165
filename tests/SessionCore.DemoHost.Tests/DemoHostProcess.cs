using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace SessionCore.DemoHost.Tests;

/// <summary>The built DemoHost running as a child process on a free loopback port with its own temporary data folder.</summary>
public sealed class DemoHostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private DemoHostProcess(Process process, Uri baseUri, string dataDirectory)
    {
        _process = process;
        BaseUri = baseUri;
        DataDirectory = dataDirectory;
    }

    public Uri BaseUri { get; }

    /// <summary>The origin a browser on this host sends, <c>http://127.0.0.1:port</c>.</summary>
    public string Origin => BaseUri.GetLeftPart(UriPartial.Authority);

    public string DataDirectory { get; }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>What the host wrote to standard error so far (its log).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts a host on a fresh temporary data folder, deleted when the host is disposed.</summary>
    public static Task<DemoHostProcess> StartAsync(params string[] extraArguments)
    {
        string data = Path.Combine(Path.GetTempPath(), "sessioncore-demohost-" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6)));
        Directory.CreateDirectory(data);
        return StartOnAsync(data, extraArguments);
    }

    /// <summary>Starts a host on an existing data folder (for example after <see cref="StopAsync"/>); this host deletes it when disposed.</summary>
    public static async Task<DemoHostProcess> StartOnAsync(string data, params string[] extraArguments)
    {
        string host = Path.Combine(AppContext.BaseDirectory, "DemoHost.dll");
        Assert.True(File.Exists(host), "DemoHost must be built next to the tests.");

        int port = FreePort();
        Uri baseUri = new($"http://127.0.0.1:{port}/");
        ProcessStartInfo start = new("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(host);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseUri.GetLeftPart(UriPartial.Authority));
        start.ArgumentList.Add("--data");
        start.ArgumentList.Add(data);
        foreach (string argument in extraArguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process = Process.Start(start)!;
        DemoHostProcess running = new(process, baseUri, data);
        process.ErrorDataReceived += (_, e) =>
        {
            lock (running._log)
            {
                running._log.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();

        using CancellationTokenSource timeout = new(TimeSpan.FromSeconds(60));
        string? line;
        while ((line = await process.StandardOutput.ReadLineAsync(timeout.Token)) is not null)
        {
            if (line.StartsWith("Listening on ", StringComparison.Ordinal))
            {
                // Keep draining standard output so the child never blocks on a full pipe.
                _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                return running;
            }
        }

        await process.WaitForExitAsync(timeout.Token);
        process.WaitForExit(); // drains the asynchronous standard-error reader
        string log = running.Log;
        await running.DisposeAsync();
        throw new InvalidOperationException("DemoHost exited before listening: " + log);
    }

    /// <summary>A client that neither follows redirects nor keeps cookies: tests send and read cookies themselves.</summary>
    public DemoClient CreateClient() => new(new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(60) }, Origin);

    /// <summary>Asks the host to stop with SIGTERM, as a service manager would, and waits; the data folder stays.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            using (Process kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using CancellationTokenSource timeout = new(TimeSpan.FromSeconds(20));
            await _process.WaitForExitAsync(timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static int FreePort()
    {
        using TcpListener listener = new(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
