using System.Threading;
using System.Threading.Tasks;

namespace SessionCore.Diagnostics;

/// <summary>Receives session events, for alerts, audit logs or notifications.</summary>
/// <remarks>
/// Security: a sink runs on the request path after the decision is made; its exceptions are caught
/// and counted, so a failing sink can neither block a revocation nor let anyone in.
/// </remarks>
public interface ISessionEventSink
{
    /// <summary>Handles one event.</summary>
    /// <param name="sessionEvent">The event.</param>
    /// <param name="cancellationToken">Cancels the handling.</param>
    /// <returns>A task that completes when the event is handled.</returns>
    ValueTask HandleAsync(SessionEvent sessionEvent, CancellationToken cancellationToken);
}
