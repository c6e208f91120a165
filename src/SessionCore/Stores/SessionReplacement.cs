using System.Collections.Generic;
using SessionCore.Sessions;
using SessionCore.Tokens;

namespace SessionCore.Stores;

/// <summary>
/// What a regeneration changes: the replacement's identifier (the hash of a freshly minted token) and the
/// fields that differ from the session it replaces (<see cref="Session.Regenerate"/>).
/// </summary>
/// <threadsafety>Immutable and safe to share.</threadsafety>
public sealed record SessionReplacement
{
    /// <summary>Gets the replacement's identifier.</summary>
    public required SessionId NewId { get; init; }

    /// <summary>Gets a value indicating whether the user has just proved who they are again (resets <see cref="Session.AuthenticatedAt"/>).</summary>
    public bool Reauthenticated { get; init; }

    /// <summary>Gets the new authentication level, or <see langword="null"/> to keep the current one.</summary>
    public int? AuthenticationLevel { get; init; }

    /// <summary>Gets the new authentication methods, or <see langword="null"/> to keep the current ones.</summary>
    public IReadOnlyList<string>? AuthenticationMethods { get; init; }

    /// <summary>Gets the new data bag, or <see langword="null"/> to keep the current one.</summary>
    public IReadOnlyDictionary<string, string>? Data { get; init; }
}
