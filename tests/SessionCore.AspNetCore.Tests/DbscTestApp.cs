using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using SessionCore.AspNetCore.Authentication;
using SessionCore.AspNetCore.Dbsc;
using SessionCore.Diagnostics;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tests.Dbsc;
using SessionCore.Tests.TestSupport;
using Xunit;

namespace SessionCore.AspNetCore.Tests;

/// <summary>
/// An ASP.NET Core application with DBSC on the session-cookie scheme, served in memory by TestServer, and a transport
/// that lets the spec-written DBSC client (its own structured-field parser, keys and cookie jar) talk to it. The client's
/// cookie jar and the server share one fake clock, so a bound cookie expires for both at once.
/// </summary>
internal sealed class DbscTestApp : IAsyncDisposable
{
    public const string Origin = "https://app.example";

    private readonly WebApplication _app;

    private DbscTestApp(WebApplication app, DelegatingStore store, FakeTimeProvider time, RecordingSink events)
    {
        _app = app;
        Store = store;
        Time = time;
        Events = events;
        Client = app.GetTestClient();
    }

    public HttpClient Client { get; }

    public DelegatingStore Store { get; }

    public FakeTimeProvider Time { get; }

    public RecordingSink Events { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<DbscTestApp> StartAsync(Action<SessionCoreDbscOptions>? dbsc = null, bool requireAuthenticatedUserByDefault = false)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        FakeTimeProvider time = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
        DelegatingStore store = new(new InMemorySessionStore());
        RecordingSink events = new();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton<ISessionEventSink>(events);
        builder.Services.AddSessionCore(o => o.IdleTimeout = TimeSpan.FromMinutes(30))
            .AddCsrfProtection(o => o.ExpectedOrigin = Origin)
            .AddDbsc(dbsc);
        builder.Services.AddSingleton<ISessionStore>(store);
        builder.Services.AddAuthentication(SessionCookieDefaults.AuthenticationScheme).AddSessionCookie();
        if (requireAuthenticatedUserByDefault)
        {
            builder.Services.AddAuthorization(o => o.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        }

        WebApplication app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseSessionCoreCsrf();

        app.MapPost("/signin/{user}", async (HttpContext context, string user) =>
        {
            SignInResult result = await context.SignInSessionAsync(user, authenticationMethods: ["pwd"]);
            return result.IsSuccess ? Results.Text(context.GetCsrfToken()) : Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        }).RequireSameOrigin().AllowAnonymous();
        app.MapGet("/me", (HttpContext context) => Results.Json(new
        {
            sub = context.User.FindFirst(SessionCoreClaimTypes.Subject)?.Value,
            sid = context.User.FindFirst(SessionCoreClaimTypes.SessionId)?.Value,
            bound = context.GetSessionFeature()?.Session?.KeyBinding is not null,
            binding = context.GetSessionFeature()?.DeviceBinding?.ToString(),
        })).RequireAuthorization();
        app.MapPost("/elevate", async (HttpContext context) =>
        {
            SessionRegenerationResult result = await context.RegenerateSessionAsync(new SessionChange { AuthenticationLevel = 2, Reauthenticated = true });
            return result.IsSuccess ? Results.Text(context.GetCsrfToken()) : Results.StatusCode(StatusCodes.Status401Unauthorized);
        }).RequireAuthorization();
        app.MapPost("/logout", async (HttpContext context) =>
        {
            SessionOperationStatus status = await context.SignOutSessionAsync();
            return status == SessionOperationStatus.StoreUnavailable ? Results.StatusCode(StatusCodes.Status503ServiceUnavailable) : Results.NoContent();
        }).RequireAuthorization();
        app.MapSessionCoreDbsc();

        await app.StartAsync(TestContext.Current.CancellationToken);
        return new DbscTestApp(app, store, time, events);
    }

    /// <summary>A DBSC browser on this application (ES256 by default; no algorithm at all for a browser without DBSC).</summary>
    public DbscSpecClient NewBrowser(params string[] algorithms) => new(SendAsync, Time, algorithms.Length == 0 ? ["ES256"] : algorithms);

    public static Uri Url(string path) => new(Origin + path);

    /// <summary>The spec client's transport: its request as it is, the response with every header line.</summary>
    public Task<SpecResponse> SendAsync(SpecRequest request) => SendAsync(Client, request);

    /// <summary>Sends a spec client's request through any in-memory client.</summary>
    public static async Task<SpecResponse> SendAsync(HttpClient client, SpecRequest request)
    {
        using HttpRequestMessage message = new(new HttpMethod(request.Method), request.Url);
        foreach ((string name, string value) in request.Headers)
        {
            Assert.True(message.Headers.TryAddWithoutValidation(name, value));
        }

        using HttpResponseMessage response = await client.SendAsync(message, TestContext.Current.CancellationToken);
        List<KeyValuePair<string, string>> headers = [.. response.Headers.Concat(response.Content.Headers).SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v)))];
        return new SpecResponse((int)response.StatusCode, headers, await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>Sends a raw request (headers added without validation, each pair one header line).</summary>
    public Task<SpecResponse> SendRawAsync(string method, string path, params (string Name, string Value)[] headers) =>
        SendAsync(new SpecRequest(method, Url(path), [.. headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value))]));

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
    }

    /// <summary>Every session event, in order.</summary>
    internal sealed class RecordingSink : ISessionEventSink
    {
        private readonly ConcurrentQueue<SessionEvent> _events = new();

        public IReadOnlyList<SessionEvent> All => [.. _events];

        public ValueTask HandleAsync(SessionEvent sessionEvent, CancellationToken cancellationToken)
        {
            _events.Enqueue(sessionEvent);
            return ValueTask.CompletedTask;
        }
    }
}
