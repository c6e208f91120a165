using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using SessionCore.Tests.Dbsc;
using Xunit;

namespace SessionCore.Samples.Tests;

/// <summary>
/// DBSC in the ASP.NET Core sample process, over real HTTP: sign-in offers registration, a key registers, and from then
/// on the long-lived cookie alone no longer authenticates. Proofs are made with the spec-written client's keys.
/// </summary>
public sealed class AspNetCoreSampleDbscTests : IClassFixture<AspNetCoreSampleHost>
{
    private const string SessionCookie = "__Host-session";
    private const string BoundCookie = "__Host-dbsc";

    private readonly AspNetCoreSampleHost _host;

    public AspNetCoreSampleDbscTests(AspNetCoreSampleHost host) => _host = host;

    [Fact]
    public async Task Login_ThenRegister_BindsTheSessionToTheKey()
    {
        using HttpRequestMessage login = new(HttpMethod.Post, "/login") { Content = JsonContent.Create(new { user = "alice", password = "alice-password" }) };
        login.Headers.Add("Origin", _host.Origin);
        login.Headers.Add("Sec-Fetch-Site", "same-origin");
        using HttpResponseMessage signedIn = await _host.Client.SendAsync(login, TestContext.Current.CancellationToken);
        Assert.True(signedIn.StatusCode == HttpStatusCode.OK, _host.Log);
        string session = CookieValue(SetCookies(signedIn).Single(c => c.StartsWith(SessionCookie + "=", StringComparison.Ordinal)));
        string offer = Assert.Single(signedIn.Headers.GetValues("Secure-Session-Registration"));
        Match challenge = Regex.Match(offer, "^\\(ES256 RS256\\);path=\"/dbsc/register\";challenge=\"([A-Za-z0-9_-]{55})\"$");
        Assert.True(challenge.Success, offer);

        using SpecKey key = SpecKey.Create("ES256");
        string proof = key.SignCompact(new JsonObject { ["alg"] = "ES256", ["typ"] = "dbsc+jwt", ["jwk"] = key.PublicJwk() }, new JsonObject { ["jti"] = challenge.Groups[1].Value });
        using HttpResponseMessage registered = await PostAsync("/dbsc/register", ($"{SessionCookie}={session}", proof));

        Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
        using JsonDocument instructions = JsonDocument.Parse(await registered.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("k" + key.Thumbprint(), instructions.RootElement.GetProperty("session_identifier").GetString());
        string bound = CookieValue(SetCookies(registered).Single(c => c.StartsWith(BoundCookie + "=", StringComparison.Ordinal)));

        Assert.Equal(HttpStatusCode.Unauthorized, await MeAsync($"{SessionCookie}={session}"));
        Assert.Equal(HttpStatusCode.OK, await MeAsync($"{SessionCookie}={session}; {BoundCookie}={bound}"));
    }

    [Fact]
    public async Task Refresh_WithoutASession_EndsTheBrowserSession()
    {
        using HttpRequestMessage request = new(HttpMethod.Post, "/dbsc/refresh");
        request.Headers.Add("Sec-Secure-Session-Id", "k" + new string('A', 43));
        using HttpResponseMessage response = await _host.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{\"continue\":false}", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    private async Task<HttpResponseMessage> PostAsync(string path, (string Cookie, string Proof) dbsc)
    {
        using HttpRequestMessage request = new(HttpMethod.Post, path);
        request.Headers.Add("Cookie", dbsc.Cookie);
        Assert.True(request.Headers.TryAddWithoutValidation("Secure-Session-Response", dbsc.Proof));
        return await _host.Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private async Task<HttpStatusCode> MeAsync(string cookies)
    {
        using HttpRequestMessage request = new(HttpMethod.Get, "/me");
        request.Headers.Add("Cookie", cookies);
        using HttpResponseMessage response = await _host.Client.SendAsync(request, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }

    private static IEnumerable<string> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out IEnumerable<string>? values) ? values : [];

    private static string CookieValue(string setCookie) => setCookie[(setCookie.IndexOf('=', StringComparison.Ordinal) + 1)..setCookie.IndexOf(';', StringComparison.Ordinal)];
}
