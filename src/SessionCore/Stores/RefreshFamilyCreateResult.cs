using SessionCore.Sessions;

namespace SessionCore.Stores;

/// <summary>What <see cref="ISessionStore.CreateRefreshFamilyAsync"/> did.</summary>
/// <param name="Status"><see cref="SessionValidationStatus.Valid"/> when the family was created; otherwise why its session did not open (nothing was written).</param>
/// <param name="Family">The family as stored, or <see langword="null"/>.</param>
/// <param name="Session">The session as it now stands (after a sliding renewal when one was due), or <see langword="null"/> when none was found.</param>
/// <threadsafety>Immutable and safe to share.</threadsafety>
public sealed record RefreshFamilyCreateResult(SessionValidationStatus Status, RefreshFamily? Family, Session? Session)
{
    /// <summary>Gets a value indicating whether the family was created.</summary>
    public bool IsSuccess => Status == SessionValidationStatus.Valid && Family is not null;
}
