using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using SessionCore.Tests.Dbsc;
using Xunit;

namespace SessionCore.DemoHost.Tests;

/// <summary>
/// Device Bound Session Credentials end to end: the spec-written DBSC client (its own structured-field parser, its own
/// keys and cookie jar) drives the DemoHost child process over HTTP. The client's clock is fake, so the short-lived
/// bound cookie (30 s here) expires in its jar without waiting; the host runs on the real clock.
/// </summary>
public sealed class DbscTests : IClassFixture<DbscTests.HostFixture>, IDisposable
{
    private readonly DemoHostProcess _host;
    private readonly HttpClient _http;
    private readonly FakeTimeProvider _clientTime = new(DateTimeOffset.UtcNow);
    private readonly DbscSpecClient _browser;
    private string? _nextForm;

    public DbscTests(HostFixture fixture)
    {
        _host = fixture.Host;
        _http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = _host.BaseUri, Timeout = TimeSpan.FromSeconds(60) };
        _browser = new DbscSpecClient(SendAsync, _clientTime, "ES256");
    }

    private static System.Threading.CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _browser.Dispose();
        _http.Dispose();
    }

    [Fact]
    public async Task Login_SupportingBrowser_RegistersAndSessionShowsBound()
    {
        await SignInAsync(_browser);

        SpecSession dbsc = Assert.Single(_browser.Sessions.Values);
        Assert.Equal("k" + dbsc.Key.Thumbprint(), dbsc.Id);
        Assert.Equal([SpecOutcome.SessionCreated], _browser.Outcomes);
        JsonElement session = await SessionJsonAsync(_browser);
        Assert.True(session.GetProperty("bound").GetBoolean());
    }

    [Fact]
    public async Task Request_AfterTheBoundCookieExpires_RefreshesWithTheKeyFirst()
    {
        await SignInAsync(_browser);
        _clientTime.Advance(TimeSpan.FromSeconds(31));
        Assert.Null(_browser.Cookies.Value("__Host-dbsc"));

        JsonElement session = await SessionJsonAsync(_browser);

        Assert.True(session.GetProperty("bound").GetBoolean());
        Assert.Equal([SpecOutcome.SessionCreated, SpecOutcome.Refreshed], _browser.Outcomes);
        Assert.NotNull(_browser.Cookies.Value("__Host-dbsc"));

        // Demanded a proof (403 + challenge), then sent one signed by the registered key.
        SpecRequest[] refreshes = [.. _browser.Sent.Where(r => r.Url.AbsolutePath == "/dbsc/refresh")];
        Assert.Equal(2, refreshes.Length);
        Assert.Null(refreshes[0].Header("Secure-Session-Response"));
        Assert.NotNull(refreshes[1].Header("Secure-Session-Response"));
    }

    [Fact]
    public async Task Refresh_ReusedChallenge_IsRefused()
    {
        await SignInAsync(_browser);
        SpecSession dbsc = _browser.Sessions.Values.Single();
        SpecResponse challenged = await RefreshRequestAsync(dbsc.Id, proof: null);
        string challenge = challenged.All("Secure-Session-Challenge").Single().Split('"')[1];
        string proof = dbsc.Key.SignCompact(new JsonObject { ["typ"] = "dbsc+jwt", ["alg"] = "ES256" }, new JsonObject { ["jti"] = challenge });

        SpecResponse first = await RefreshRequestAsync(dbsc.Id, proof);
        SpecResponse again = await RefreshRequestAsync(dbsc.Id, proof);

        Assert.Equal(403, challenged.Status);
        Assert.Equal(200, first.Status);
        Assert.Equal(403, again.Status);
        Assert.NotEqual(challenge, again.All("Secure-Session-Challenge").Single().Split('"')[1]);
        Assert.Empty(again.All("Set-Cookie"));
    }

    [Fact]
    public async Task Refresh_SessionIdentifierOfAnotherSession_IsRefused()
    {
        await SignInAsync(_browser);

        SpecResponse response = await RefreshRequestAsync("k" + new string('A', 43), proof: null);

        Assert.Equal(400, response.Status);
        Assert.Empty(response.All("Secure-Session-Challenge"));
    }

    [Fact]
    public async Task Refresh_WithAnotherKey_IsRefusedAndTheThiefStaysOut()
    {
        await SignInAsync(_browser);
        string id = _browser.Sessions.Keys.Single();
        using DbscSpecClient thief = new(SendAsync, _clientTime, "ES256");
        _browser.Cookies.CopyTo(thief.Cookies);
        thief.Cookies.Remove("__Host-dbsc");
        _browser.ShareSessionsWith(thief);
        thief.ReplaceKey(id, SpecKey.Create("ES256"));

        SpecResponse response = await thief.FetchAsync("GET", Url("/api/session"));

        Assert.Equal(401, response.Status);
        Assert.Equal(SpecOutcome.Terminated, thief.Outcomes.Single());
        Assert.Null(thief.Cookies.Value("__Host-dbsc"));
        Assert.Contains("ProofByOtherKey", _host.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_StolenLongLivedCookieWithoutTheKey_IsRefused()
    {
        await SignInAsync(_browser);
        string stolen = _browser.Cookies.Value("__Host-session")!;

        using HttpRequestMessage request = new(HttpMethod.Get, "/api/session");
        request.Headers.Add("Cookie", "__Host-session=" + stolen);
        using HttpResponseMessage response = await _http.SendAsync(request, Ct);

        Assert.Equal(401, (int)response.StatusCode);
        Assert.Contains("BoundCookieMissing", _host.Log, StringComparison.Ordinal);

        // The legitimate browser, holding the bound cookie, is still signed in.
        Assert.True((await SessionJsonAsync(_browser)).GetProperty("bound").GetBoolean());
    }

    [Fact]
    public async Task Refresh_AfterSignOut_EndsTheBoundSession()
    {
        await SignInAsync(_browser);
        string csrf = (await SessionJsonAsync(_browser)).GetProperty("csrf").GetString()!;
        _nextForm = "csrf=" + Uri.EscapeDataString(csrf);
        SpecResponse logout = await _browser.FetchAsync("POST", Url("/logout"), new("Origin", _host.Origin), new("Content-Type", "application/x-www-form-urlencoded"));
        Assert.Equal(303, logout.Status);
        Assert.Null(_browser.Cookies.Value("__Host-dbsc"));
        string id = _browser.Sessions.Keys.Single();

        SpecOutcome outcome = await _browser.RefreshAsync(id);

        Assert.Equal(SpecOutcome.Terminated, outcome);
        Assert.Empty(_browser.Sessions);
    }

    private Uri Url(string path) => new(_host.BaseUri, path);

    private async Task SignInAsync(DbscSpecClient browser)
    {
        _nextForm = "username=alice&password=alice-password";
        SpecResponse response = await browser.FetchAsync("POST", Url("/login"), new("Origin", _host.Origin), new("Content-Type", "application/x-www-form-urlencoded"));
        Assert.Equal(303, response.Status);
    }

    private async Task<JsonElement> SessionJsonAsync(DbscSpecClient browser)
    {
        SpecResponse response = await browser.FetchAsync("GET", Url("/api/session"));
        Assert.Equal(200, response.Status);
        return JsonDocument.Parse(response.Body).RootElement.Clone();
    }

    /// <summary>A refresh request as a browser sends it, built by hand so a test can replay it.</summary>
    private Task<SpecResponse> RefreshRequestAsync(string sessionIdentifier, string? proof)
    {
        List<KeyValuePair<string, string>> headers = [new("Sec-Secure-Session-Id", "\"" + sessionIdentifier + "\""), new("Cookie", _browser.Cookies.HeaderFor(Url("/dbsc/refresh"))!)];
        if (proof is not null)
        {
            headers.Add(new("Secure-Session-Response", "\"" + proof + "\""));
        }

        return SendAsync(new SpecRequest("POST", Url("/dbsc/refresh"), headers));
    }

    /// <summary>The network between the spec client and the host; a form body set by the test goes with the next POST.</summary>
    private async Task<SpecResponse> SendAsync(SpecRequest request)
    {
        using HttpRequestMessage message = new(new HttpMethod(request.Method), request.Url);
        string? contentType = null;
        foreach (KeyValuePair<string, string> header in request.Headers)
        {
            if (header.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                contentType = header.Value;
            }
            else
            {
                message.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        if (request.Method == "POST")
        {
            string body = contentType is null ? string.Empty : _nextForm ?? string.Empty;
            _nextForm = contentType is null ? _nextForm : null;
            message.Content = new StringContent(body, Encoding.UTF8);
            message.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType ?? "application/octet-stream");
        }

        using HttpResponseMessage response = await _http.SendAsync(message, Ct);
        List<KeyValuePair<string, string>> headers = [];
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            headers.AddRange(values.Select(v => new KeyValuePair<string, string>(name, v)));
        }

        return new SpecResponse((int)response.StatusCode, headers, await response.Content.ReadAsByteArrayAsync(Ct));
    }

    /// <summary>One DemoHost for the class, with a 30-second bound cookie.</summary>
    public sealed class HostFixture : IAsyncLifetime
    {
        private DemoHostProcess? _host;

        public DemoHostProcess Host => _host ?? throw new InvalidOperationException("Not started.");

        public async ValueTask InitializeAsync() => _host = await DemoHostProcess.StartAsync("--dbsc-cookie-seconds", "30");

        public async ValueTask DisposeAsync()
        {
            if (_host is not null)
            {
                await _host.DisposeAsync();
            }
        }
    }
}
