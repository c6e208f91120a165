using System;
using SessionCore.Tokens;

namespace SessionCore.Stores;

/// <summary>A regeneration as one store operation (<see cref="ISessionStore.RegenerateAsync"/>).</summary>
/// <threadsafety>Immutable and safe to share.</threadsafety>
public sealed record SessionRegeneration
{
    /// <summary>Gets the session to replace.</summary>
    public required SessionId CurrentId { get; init; }

    /// <summary>Gets the replacement's identifier and changes.</summary>
    public required SessionReplacement Replacement { get; init; }

    /// <summary>Gets the lifetimes the current session must still satisfy.</summary>
    public required SessionRules Rules { get; init; }

    /// <summary>Gets the current time.</summary>
    public required DateTimeOffset Now { get; init; }
}
