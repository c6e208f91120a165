using System.Collections.Generic;
using SessionCore.Tokens;

namespace SessionCore.Stores;

/// <summary>What <see cref="ISessionStore.RevokeUserSessionsAsync"/> did.</summary>
/// <param name="SecurityEpoch">The user's security epoch after the step.</param>
/// <param name="Revoked">The sessions this step revoked with the revocation's reason (a kept session's old identifier is in <paramref name="Kept"/>).</param>
/// <param name="Kept">The regeneration of the kept session, or <see langword="null"/> when none was asked for.</param>
/// <threadsafety>Immutable and safe to share.</threadsafety>
public sealed record UserRevocationResult(long SecurityEpoch, IReadOnlyList<SessionId> Revoked, SessionRegenerateResult? Kept);
