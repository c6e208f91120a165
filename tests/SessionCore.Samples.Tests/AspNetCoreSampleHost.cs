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

namespace SessionCore.Samples.Tests;

/// <summary>
/// Runs the built ASP.NET Core sample as a real process on a free loopback port with a scratch data folder,
/// and gives tests an <see cref="HttpClient"/> that manages no cookies (the tests send and read them by hand:
/// a client cookie jar would not return a Secure cookie over plain HTTP).
/// </summary>
public sealed class AspNetCoreSampleHost : IAsyncLifetime
{
    private readonly StringBuilder _log = new();
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "sessioncore-aspnetcore-tests", Path.GetRandomFileName());
    private Process? _process;

    public Uri BaseAddress { get; private set; } = null!;

    public string Origin => BaseAddress.GetLeftPart(UriPartial.Authority);

    public HttpClient Client { get; private set; } = null!;

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

    public async ValueTask InitializeAsync()
    {
        string assembly = Path.Combine(AppContext.BaseDirectory, "SessionCore.Samples.AspNetCore.dll");
        Assert.True(File.Exists(assembly), "the sample is built next to the tests by the project reference");
        int port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        ProcessStartInfo start = new("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (string arg in new[] { assembly, "--urls", $"http://127.0.0.1:{port}", "--data", _directory })
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("the sample did not start");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using CancellationTokenSource timeout = new(TimeSpan.FromSeconds(60));
        while (!await AcceptsAsync(port, timeout.Token))
        {
            Assert.False(_process.HasExited, $"the sample exited with {(_process.HasExited ? _process.ExitCode : 0)}:\n{Log}");
            Assert.False(timeout.IsCancellationRequested, $"the sample did not listen on port {port} within 60 s:\n{Log}");
            await Task.Delay(100, timeout.Token);
        }

        Client = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = BaseAddress };
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (_process is not null)
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync();
            _process.Dispose();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private static int FreePort()
    {
        using TcpListener listener = new(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<bool> AcceptsAsync(int port, CancellationToken cancellationToken)
    {
        using TcpClient client = new();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }
}
