using SessionCore.Sessions;

namespace SessionCore.Stores;

/// <summary>What <see cref="ISessionStore.BindKeyAsync"/> did.</summary>
/// <param name="Status">What happened.</param>
/// <param name="SessionStatus">Whether the session opened under the rules given.</param>
/// <param name="Session">The session as it now stands, or <see langword="null"/> when none was found.</param>
/// <threadsafety>Immutable and safe to share.</threadsafety>
public sealed record SessionBindResult(SessionBindStatus Status, SessionValidationStatus SessionStatus, Session? Session);
