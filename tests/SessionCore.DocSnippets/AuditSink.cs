using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Diagnostics;

namespace SessionCore.DocSnippets;

#region snippet_EventSink
public sealed class AuditSink : ISessionEventSink
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ValueTask HandleAsync(SessionEvent sessionEvent, CancellationToken cancellationToken)
    {
        switch (sessionEvent)
        {
            case SessionRevoked revoked:
                Lines.Enqueue($"revoked {revoked.SessionId} ({revoked.Reason})");
                break;
            case SessionEvicted evicted:
                Lines.Enqueue($"evicted {evicted.SessionId} for {evicted.NewSessionId}");
                break;
            case RefreshTokenReuseDetected reuse:
                Lines.Enqueue($"refresh reuse in family {reuse.FamilyId}; session {reuse.SessionId} revoked");
                break;
            case NewDeviceSignIn device:
                Lines.Enqueue($"new device for {device.UserId}: {device.Changes} ({device.UserAgentFamily})");
                break;
        }

        return ValueTask.CompletedTask;
    }
}
#endregion
