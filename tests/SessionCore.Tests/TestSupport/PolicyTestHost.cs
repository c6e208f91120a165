using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using SessionCore.Diagnostics;
using SessionCore.Sessions;
using SessionCore.Stores;

namespace SessionCore.Tests.TestSupport;

/// <summary>A manager on the in-memory store and a fake clock, with every event recorded.</summary>
internal sealed class PolicyTestHost
{
    public PolicyTestHost(Action<SessionOptions>? configure = null, ISessionStore? store = null)
    {
        Store = store ?? new InMemorySessionStore();
        SessionOptions options = new();
        configure?.Invoke(options);
        SessionManagerBuilder builder = new() { Store = Store, TimeProvider = Time, Options = options };
        builder.EventSinks.Add(Events);
        Manager = builder.Build();
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));

    public ISessionStore Store { get; }

    public RecordingSink Events { get; } = new();

    public SessionManager Manager { get; }

    public async Task<SignInResult> SignInAsync(string userId, Action<SignInRequest>? configure = null)
    {
        SignInRequest request = new(userId);
        configure?.Invoke(request);
        return await Manager.SignInAsync(request);
    }

    internal sealed class RecordingSink : ISessionEventSink
    {
        private readonly ConcurrentQueue<SessionEvent> _events = new();

        public IReadOnlyList<SessionEvent> All => [.. _events];

        public IReadOnlyList<T> Of<T>()
            where T : SessionEvent => [.. _events.OfType<T>()];

        public ValueTask HandleAsync(SessionEvent sessionEvent, CancellationToken cancellationToken)
        {
            _events.Enqueue(sessionEvent);
            return ValueTask.CompletedTask;
        }
    }
}
