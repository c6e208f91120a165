using System.Collections.Generic;
using SessionCore.Tokens;

namespace SessionCore.Sessions;

/// <summary>The outcome of <see cref="SessionManager.InvalidateUserAsync"/>.</summary>
/// <threadsafety>Immutable.</threadsafety>
public sealed class UserInvalidationResult
{
    internal UserInvalidationResult(SessionOperationStatus status, IReadOnlyList<SessionId> revoked, long securityEpoch, SessionRegenerationResult? kept)
    {
        Status = status;
        Revoked = revoked;
        SecurityEpoch = securityEpoch;
        Kept = kept;
    }

    /// <summary>Gets the outcome. <see cref="SessionOperationStatus.StoreUnavailable"/> means the invalidation may be incomplete: retry it.</summary>
    public SessionOperationStatus Status { get; }

    /// <summary>Gets the sessions this call revoked.</summary>
    public IReadOnlyList<SessionId> Revoked { get; }

    /// <summary>Gets the user's new security epoch (0 when the store could not answer).</summary>
    public long SecurityEpoch { get; }

    /// <summary>Gets the regenerated current session, when one was kept; send its token to the client.</summary>
    public SessionRegenerationResult? Kept { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Status} (revoked {Revoked.Count})";
}
