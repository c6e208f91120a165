using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Diagnostics;

namespace SessionCore.Tests.TestSupport;

internal sealed class RecordingEventSink : ISessionEventSink
{
    private readonly ConcurrentQueue<SessionEvent> _events = new();

    public IReadOnlyList<SessionEvent> Events => [.. _events];

    public IReadOnlyList<T> OfType<T>()
        where T : SessionEvent => [.. _events.OfType<T>()];

    public ValueTask HandleAsync(SessionEvent sessionEvent, CancellationToken cancellationToken)
    {
        _events.Enqueue(sessionEvent);
        return ValueTask.CompletedTask;
    }
}
