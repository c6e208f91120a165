using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;
using Xunit;

namespace SessionCore.DemoHost.Tests;

/// <summary>Hostile and malformed input: every one gets a 4xx (or a closed connection) and the host keeps serving.</summary>
public sealed class RobustnessTests : IClassFixture<DemoHostFixture>, IDisposable
{
    private readonly DemoHostProcess _host;
    private readonly DemoClient _client;

    public RobustnessTests(DemoHostFixture fixture)
    {
        _host = fixture.Host;
        _client = _host.CreateClient();
    }

    public void Dispose() => _client.Dispose();

    [Theory]
    [InlineData("/api/session?session=sc_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("/api/me?access_token=abc")]
    [InlineData("/?token=x")]
    [InlineData("/oauth/token?refresh_token=scr_x")]
    [InlineData("/api/me?bearer=abc")]
    [InlineData("/?q=eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl")]
    [InlineData("/app;jsessionid=ABC")]
    public async Task TokenInUrl_Returns400(string url)
    {
        using HttpResponseMessage response = await _client.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("token_in_url", await DemoClient.ErrorAsync(response));
        Assert.Contains("credential in the URL", _host.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("AAAAAAAAAAAAAAAAAAAA", _host.Log, StringComparison.Ordinal);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task TokenInQuery_WithValidCookie_IsRefusedAnyway()
    {
        string session = await _client.SignInAsync("alice", "alice-password");

        using HttpResponseMessage response = await _client.GetAsync("/api/session?session=" + session, session);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(session, _host.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HugeBody_Returns413()
    {
        string padding = new('a', 64 * 1024);

        using HttpResponseMessage response = await _client.PostFormAsync(
            "/login", DemoClient.Form(("username", "alice"), ("password", padding)), null, ("Origin", _host.Origin));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task HugeChunkedBody_Returns413()
    {
        // A raw socket, because the host answers 413 and closes as soon as the body passes its limit: an HTTP
        // client still writing the rest of the body would see a broken pipe instead of the answer.
        using TcpClient tcp = new();
        await tcp.ConnectAsync(IPAddress.Loopback, _host.BaseUri.Port, TestContext.Current.CancellationToken);
        NetworkStream stream = tcp.GetStream();
        string head = "POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: " + _host.Origin
            + "\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), TestContext.Current.CancellationToken);
        byte[] chunk = Encoding.ASCII.GetBytes("1000\r\n" + new string('a', 0x1000) + "\r\n");
        try
        {
            // 200 KiB in 4 KiB chunks, well past the 16 KiB limit; stop early once the host has answered.
            for (int i = 0; i < 50 && tcp.Available == 0; i++)
            {
                await stream.WriteAsync(chunk, TestContext.Current.CancellationToken);
            }
        }
        catch (System.IO.IOException)
        {
            // The host closed the connection after answering; the answer is still in our receive buffer.
        }

        string statusLine = await ReadStatusLineAsync(stream);

        Assert.StartsWith("HTTP/1.1 413", statusLine, StringComparison.Ordinal);
        await AssertStillServingAsync();
    }

    [Theory]
    [InlineData("text/plain", "username=alice&password=alice-password", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("application/json", "{\"username\":\"alice\"}", HttpStatusCode.UnsupportedMediaType)]
    [InlineData("application/x-www-form-urlencoded", "username=alice&username=bob&password=x", HttpStatusCode.BadRequest)]
    [InlineData("application/x-www-form-urlencoded", "=&=&=", HttpStatusCode.BadRequest)]
    [InlineData("application/x-www-form-urlencoded", "username=%ZZ%&password=%", HttpStatusCode.Unauthorized)]
    public async Task MalformedForm_Returns4xx(string contentType, string body, HttpStatusCode expected)
    {
        using HttpRequestMessage request = new(HttpMethod.Post, "/login") { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new(contentType);
        request.Headers.Add("Origin", _host.Origin);

        using HttpResponseMessage response = await _client.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(expected, response.StatusCode);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task InvalidUtf8Form_Returns400()
    {
        using HttpRequestMessage request = new(HttpMethod.Post, "/login") { Content = new ByteArrayContent([0x75, 0x3D, 0xFF, 0xFE, 0x26]) };
        request.Content.Headers.ContentType = new("application/x-www-form-urlencoded");
        request.Headers.Add("Origin", _host.Origin);

        using HttpResponseMessage response = await _client.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task TooManyFormFields_Returns400()
    {
        List<(string, string)> fields = [];
        for (int i = 0; i < 100; i++)
        {
            fields.Add(("f" + i, "v"));
        }

        using HttpResponseMessage response = await _client.PostFormAsync("/login", DemoClient.Form([.. fields]), null, ("Origin", _host.Origin));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("Cookie", "__Host-session=\"; =; ;;; a\\")]
    [InlineData("Cookie", ";;;===;;\u0001junk")]
    [InlineData("Cookie", "__Host-session=sc_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA; __Host-session=sc_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB")]
    [InlineData("Origin", "\u0001\u0002")]
    [InlineData("Sec-Fetch-Site", "sideways")]
    [InlineData("Accept", "text/html\u0000")]
    public async Task JunkHeaders_Return4xx(string name, string value)
    {
        using HttpRequestMessage request = new(HttpMethod.Get, "/api/session");
        request.Headers.TryAddWithoutValidation(name, value);

        using HttpResponseMessage response = await _client.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.InRange((int)response.StatusCode, 400, 499);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task HugeCookieHeader_Returns4xx()
    {
        using HttpResponseMessage response = await _client.GetAsync("/api/session", null, ("Cookie", "a=" + new string('b', 12000)));

        Assert.InRange((int)response.StatusCode, 400, 499);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task UnknownPathAndWrongMethod_Return404And405()
    {
        using HttpResponseMessage missing = await _client.GetAsync("/does-not-exist");
        using HttpResponseMessage wrongMethod = await _client.GetAsync("/logout");

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        Assert.Contains("POST", wrongMethod.Content.Headers.Allow);
    }

    [Fact]
    public async Task StalledBodies_OnEverySlot_AreCutOffAndHostKeepsServing()
    {
        // More silent clients than the host has request slots: each sends complete headers announcing a body, then
        // nothing. Without a per-request deadline they would hold every slot for as long as they keep the socket open.
        List<TcpClient> stalled = [];
        try
        {
            for (int i = 0; i < 70; i++)
            {
                TcpClient tcp = new();
                stalled.Add(tcp);
                await tcp.ConnectAsync(IPAddress.Loopback, _host.BaseUri.Port, TestContext.Current.CancellationToken);
                string head = "POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: " + _host.Origin
                    + "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n";
                await tcp.GetStream().WriteAsync(Encoding.ASCII.GetBytes(head), TestContext.Current.CancellationToken);
            }

            await AssertStillServingAsync();
            Assert.Contains("request cut off", _host.Log, StringComparison.Ordinal);
        }
        finally
        {
            foreach (TcpClient tcp in stalled)
            {
                tcp.Dispose();
            }
        }
    }

    [Theory]
    [InlineData("GARBAGE\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -5\r\n\r\n")]
    [InlineData("POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 99999999999\r\n\r\nabc")]
    [InlineData("GET /\u0000 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX: \u0001\u0002\u0003\r\n bad folding\r\n\r\n")]
    [InlineData("\r\n\r\n\r\n")]
    [InlineData("GET /api/session HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: __Host-session=\u00ff\u00fe\r\n\r\n")]
    public async Task RawJunkRequest_GetsErrorOrClose_AndHostKeepsServing(string raw)
    {
        using TcpClient tcp = new();
        await tcp.ConnectAsync(IPAddress.Loopback, _host.BaseUri.Port, TestContext.Current.CancellationToken);
        NetworkStream stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(raw), TestContext.Current.CancellationToken);
        tcp.Client.Shutdown(SocketShutdown.Send);
        byte[] buffer = new byte[4096];
        int read;
        StringBuilder answer = new();
        try
        {
            while ((read = await stream.ReadAsync(buffer, TestContext.Current.CancellationToken)) > 0)
            {
                answer.Append(Encoding.Latin1.GetString(buffer, 0, read));
            }
        }
        catch (System.IO.IOException)
        {
        }

        string text = answer.ToString();
        Assert.True(text.Length == 0 || text.StartsWith("HTTP/1.1 4", StringComparison.Ordinal), text.Split('\n')[0]);
        await AssertStillServingAsync();
    }

    private static async Task<string> ReadStatusLineAsync(NetworkStream stream)
    {
        byte[] buffer = new byte[1];
        StringBuilder line = new();
        try
        {
            while (line.Length < 200 && await stream.ReadAsync(buffer, TestContext.Current.CancellationToken) == 1 && buffer[0] != (byte)'\n')
            {
                line.Append((char)buffer[0]);
            }
        }
        catch (System.IO.IOException)
        {
        }

        return line.ToString().TrimEnd('\r');
    }

    private async Task AssertStillServingAsync()
    {
        Assert.False(_host.HasExited);
        using HttpResponseMessage response = await _client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
