using System;
using Microsoft.Extensions.Time.Testing;
using SessionCore.Sessions;
using SessionCore.Stores;

namespace SessionCore.Tests.TestSupport;

/// <summary>A manager over an in-memory store, a fake clock, a failure switch and an event recorder.</summary>
internal sealed class SessionFixture
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public SessionFixture(Action<SessionOptions>? configure = null, Action<SessionManagerBuilder>? build = null)
    {
        SessionOptions options = new();
        configure?.Invoke(options);
        SessionManagerBuilder builder = new() { Store = Store, TimeProvider = Time, Options = options };
        builder.EventSinks.Add(Events);
        build?.Invoke(builder);
        Manager = builder.Build();
    }

    public FakeTimeProvider Time { get; } = new(Start);

    public InMemorySessionStore Inner { get; } = new();

    public DelegatingStore Store => field ??= new DelegatingStore(Inner);

    public RecordingEventSink Events { get; } = new();

    public SessionManager Manager { get; }

    public void Advance(TimeSpan by) => Time.Advance(by);
}
