using System.Collections.Generic;
using SessionCore.Tokens;

namespace SessionCore.Sessions;

/// <summary>What revoking several of a user's sessions did.</summary>
/// <threadsafety>Immutable and safe to share.</threadsafety>
public sealed class SessionRevocationResult
{
    internal SessionRevocationResult(SessionOperationStatus status, IReadOnlyList<SessionId> revoked)
    {
        Status = status;
        Revoked = revoked;
    }

    /// <summary>Gets <see cref="SessionOperationStatus.Done"/> when sessions were revoked, <see cref="SessionOperationStatus.NothingToDo"/> when none was left to revoke, or <see cref="SessionOperationStatus.StoreUnavailable"/>.</summary>
    public SessionOperationStatus Status { get; }

    /// <summary>Gets a value indicating whether the store answered (whether or not anything was left to revoke).</summary>
    public bool IsSuccess => Status != SessionOperationStatus.StoreUnavailable;

    /// <summary>Gets the sessions revoked (empty on failure).</summary>
    public IReadOnlyList<SessionId> Revoked { get; }

    internal static SessionRevocationResult StoreUnavailable { get; } = new(SessionOperationStatus.StoreUnavailable, []);

    /// <inheritdoc/>
    public override string ToString() => $"{Status} (revoked {Revoked.Count})";
}
