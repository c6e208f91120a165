using SessionCore.Sessions;

namespace SessionCore.Stores;

/// <summary>A session as <see cref="ISessionStore.ValidateAsync"/> found and judged it.</summary>
/// <param name="Status">The verdict of <see cref="Session.Classify"/>, or <see cref="SessionValidationStatus.NotFound"/>.</param>
/// <param name="Session">The session as it now stands (after a sliding renewal when one was due), or <see langword="null"/> when none was found.</param>
/// <threadsafety>Immutable and safe to share.</threadsafety>
public readonly record struct SessionCheck(SessionValidationStatus Status, Session? Session)
{
    /// <summary>Gets the result for an identifier the store does not hold.</summary>
    public static SessionCheck NotFound => new(SessionValidationStatus.NotFound, null);

    /// <summary>Gets a value indicating whether the session opens.</summary>
    public bool IsValid => Status == SessionValidationStatus.Valid && Session is not null;
}
