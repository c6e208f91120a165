using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace SessionCore.AspNetCore.Tests;

// What the DPoP path logs: coarse statuses under fixed event ids, never a token, proof, nonce or thumbprint.
public sealed partial class SessionCoreBearerHandlerTests
{
    [Fact]
    public async Task Dpop_Refusals_AreLoggedWithoutAnySecret()
    {
        CapturingLoggerProvider logs = new();
        await using TestApp app = await TestApp.StartAsync(
            dpop: o => o.RequireNonce = true,
            services: s =>
            {
                s.AddSingleton<ILoggerProvider>(logs);
                s.Configure<LoggerFilterOptions>(o => o.MinLevel = LogLevel.Trace);
            });
        using DpopTestClient owner = new(app);
        using DpopTestClient thief = new(app);
        string access = await DpopGrantAsync(owner);
        string proof = owner.Proof("GET", DpopTestClient.TestServerOrigin + "/api/me", access);
        thief.Nonce = owner.Nonce;

        using HttpResponseMessage downgrade = await app.SendAsync(HttpMethod.Get, "/api/me", bearer: access);
        using HttpResponseMessage first = await DpopTestClient.SendRawAsync(app, HttpMethod.Get, "/api/me", ("Authorization", "DPoP " + access), ("DPoP", proof));
        using HttpResponseMessage replay = await DpopTestClient.SendRawAsync(app, HttpMethod.Get, "/api/me", ("Authorization", "DPoP " + access), ("DPoP", proof));
        using HttpResponseMessage otherKey = await thief.SendAsync(HttpMethod.Get, "/api/me", access);
        app.Store.Fail = true;
        using HttpResponseMessage storeDown = await owner.SendAsync(HttpMethod.Get, "/api/me", access);

        Assert.Equal(
            [HttpStatusCode.Unauthorized, HttpStatusCode.OK, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.ServiceUnavailable],
            new[] { downgrade, first, replay, otherKey, storeDown }.Select(r => r.StatusCode));
        (string Category, int Id, string Message)[] handler = [.. logs.Entries.Where(e => e.Category.EndsWith("SessionCoreBearerHandler", StringComparison.Ordinal))];
        Assert.Contains(handler, e => e.Id == 21);
        Assert.Contains(handler, e => e.Id == 20 && e.Message.Contains("ProofReplayed", StringComparison.Ordinal));
        Assert.Contains(handler, e => e.Id == 20 && e.Message.Contains("KeyMismatch", StringComparison.Ordinal));
        Assert.Contains(handler, e => e.Id == 22);
        string[] secrets = [access, access[..20], access[^20..], proof[..20], proof[^20..], owner.Thumbprint, thief.Thumbprint, owner.Nonce!];
        foreach ((_, _, string message) in logs.Entries)
        {
            Assert.DoesNotContain(secrets, s => message.Contains(s, StringComparison.Ordinal));
        }
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public ConcurrentQueue<(string Category, int Id, string Message)> Queue { get; } = new();

        public (string Category, int Id, string Message)[] Entries => [.. Queue];

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.Queue.Enqueue((category, eventId.Id, formatter(state, exception) + (exception is null ? string.Empty : " " + exception)));
        }
    }
}
