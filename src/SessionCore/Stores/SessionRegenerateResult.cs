using SessionCore.Sessions;

namespace SessionCore.Stores;

/// <summary>What a regeneration did.</summary>
/// <param name="Status"><see cref="SessionValidationStatus.Valid"/> when the session was replaced; otherwise why the current session did not open (nothing was written).</param>
/// <param name="Previous">The replaced session as it now stands (revoked), or the current one as found when nothing was written; <see langword="null"/> when none was found.</param>
/// <param name="Replacement">The replacement as stored, or <see langword="null"/> when nothing was written.</param>
/// <threadsafety>Immutable and safe to share.</threadsafety>
public sealed record SessionRegenerateResult(SessionValidationStatus Status, Session? Previous, Session? Replacement)
{
    /// <summary>Gets the result for an identifier the store does not hold.</summary>
    public static SessionRegenerateResult NotFound { get; } = new(SessionValidationStatus.NotFound, null, null);

    /// <summary>Gets a value indicating whether the session was replaced.</summary>
    public bool IsSuccess => Status == SessionValidationStatus.Valid && Replacement is not null;
}
