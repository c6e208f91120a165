using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace SessionCore.DemoHost.Tests;

/// <summary>HTTP helpers for DemoHost: cookies are sent and read by hand, redirects are not followed.</summary>
public sealed class DemoClient : IDisposable
{
    public const string SessionCookie = "__Host-session";
    public const string DeviceCookie = "__Host-device";

    public DemoClient(HttpClient http, string origin)
    {
        Http = http;
        Origin = origin;
    }

    public HttpClient Http { get; }

    public string Origin { get; }

    public static string? SetCookieHeader(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues("Set-Cookie", out IEnumerable<string>? values)
            ? values.FirstOrDefault(v => v.StartsWith(name + "=", StringComparison.Ordinal))
            : null;

    /// <summary>The value a Set-Cookie header gives the cookie (empty for a deletion), or <see langword="null"/> when not set.</summary>
    public static string? SetCookieValue(HttpResponseMessage response, string name)
    {
        string? header = SetCookieHeader(response, name);
        return header?[(name.Length + 1)..].Split(';')[0];
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        string text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        using JsonDocument document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    public static async Task<string?> ErrorAsync(HttpResponseMessage response) =>
        (await JsonAsync(response)).GetProperty("error").GetString();

    public Task<HttpResponseMessage> GetAsync(string path, string? session = null, params (string Name, string Value)[] headers)
    {
        HttpRequestMessage request = new(HttpMethod.Get, path);
        AddSession(request, session);
        foreach ((string name, string value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public Task<HttpResponseMessage> PostFormAsync(string path, IEnumerable<KeyValuePair<string, string>> fields, string? session = null, params (string Name, string Value)[] headers)
    {
        HttpRequestMessage request = new(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(fields) };
        AddSession(request, session);
        foreach ((string name, string value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return Http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>Signs in through the form as a same-origin browser would and returns the session cookie's value.</summary>
    public async Task<string> SignInAsync(string user, string password, string? presentedSession = null, params (string Name, string Value)[] headers)
    {
        using HttpResponseMessage response = await PostFormAsync(
            "/login", Form(("username", user), ("password", password)), presentedSession, [("Origin", Origin), ("Sec-Fetch-Site", "same-origin"), .. headers]);
        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        string? value = SetCookieValue(response, SessionCookie);
        Assert.False(string.IsNullOrEmpty(value));
        return value;
    }

    /// <summary>GET /api/session with the cookie; the JSON on 200, or <see langword="null"/> on 401.</summary>
    public async Task<JsonElement?> SessionInfoAsync(string session)
    {
        using HttpResponseMessage response = await GetAsync("/api/session", session);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            return null;
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await JsonAsync(response);
    }

    public async Task<string> CsrfAsync(string session)
    {
        JsonElement? info = await SessionInfoAsync(session);
        Assert.NotNull(info);
        return info.Value.GetProperty("csrf").GetString()!;
    }

    public static KeyValuePair<string, string>[] Form(params (string Name, string Value)[] fields) =>
        [.. fields.Select(f => KeyValuePair.Create(f.Name, f.Value))];

    public void Dispose() => Http.Dispose();

    private static void AddSession(HttpRequestMessage request, string? session)
    {
        if (session is not null)
        {
            request.Headers.TryAddWithoutValidation("Cookie", SessionCookie + "=" + session);
        }
    }
}

/// <summary>One DemoHost shared by the tests of a class.</summary>
public sealed class DemoHostFixture : IAsyncLifetime
{
    private DemoHostProcess? _host;

    public DemoHostProcess Host => _host ?? throw new InvalidOperationException("Not started.");

    public async ValueTask InitializeAsync() => _host = await DemoHostProcess.StartAsync("--refresh-grace", "0");

    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
