using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace SessionCore.AspNetCore.Tests;

/// <summary>Request helpers: cookies and headers set by hand, so every test states exactly what it sends.</summary>
internal static class Http
{
    public static async Task<HttpResponseMessage> SendAsync(
        this TestApp app,
        HttpMethod method,
        string path,
        string? cookie = null,
        string? csrf = null,
        IDictionary<string, string>? form = null,
        string? fetchSite = "same-origin",
        string? bearer = null,
        string? rawCookieHeader = null)
    {
        using HttpRequestMessage request = new(method, path);
        if (rawCookieHeader is not null)
        {
            Assert.True(request.Headers.TryAddWithoutValidation("Cookie", rawCookieHeader));
        }
        else if (cookie is not null)
        {
            request.Headers.Add("Cookie", $"{TestApp.SessionCookie}={cookie}");
        }

        if (csrf is not null)
        {
            request.Headers.Add("X-CSRF-Token", csrf);
        }

        if (fetchSite is not null && method != HttpMethod.Get)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }

        if (bearer is not null)
        {
            Assert.True(request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + bearer));
        }

        if (form is not null)
        {
            request.Content = new FormUrlEncodedContent(form);
        }

        return await app.Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public static async Task<Login> LoginAsync(this TestApp app, string user = "alice", string? cookie = null)
    {
        using HttpResponseMessage response = await app.SendAsync(HttpMethod.Post, "/login", cookie: cookie, form: new Dictionary<string, string> { ["user"] = user });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string csrf = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return new Login(CookieValue(SetCookie(response, TestApp.SessionCookie)!), csrf);
    }

    public static string? SetCookie(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues("Set-Cookie", out IEnumerable<string>? values)
            ? values.SingleOrDefault(v => v.StartsWith(name + "=", StringComparison.Ordinal))
            : null;

    public static string CookieValue(string setCookie) =>
        setCookie[(setCookie.IndexOf('=', StringComparison.Ordinal) + 1)..setCookie.IndexOf(';', StringComparison.Ordinal)];

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        using JsonDocument json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return json.RootElement.Clone();
    }

    public static Dictionary<string, string> Form(params (string Key, string Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
}

internal sealed record Login(string Cookie, string Csrf);
