using System;

namespace SessionCore.Stores.LiteDb;

/// <summary>Where the LiteDB store keeps its file, and how often it purges expired records.</summary>
/// <remarks>
/// Set exactly one of <see cref="FilePath"/> and <see cref="ConnectionString"/>. The store opens the file in
/// LiteDB's direct mode and must be the only process using it; a connection string that asks for shared
/// mode or read-only access is refused when the store is created.
/// </remarks>
/// <threadsafety>Not thread-safe; configure it once at start-up. The store copies the values it needs.</threadsafety>
public sealed class LiteDbSessionStoreOptions
{
    /// <summary>Gets or sets the path of the database file (created when missing).</summary>
    /// <value><see langword="null"/>.</value>
    public string? FilePath { get; set; }

    /// <summary>Gets or sets a LiteDB connection string, for settings such as a password or an initial size.</summary>
    /// <value><see langword="null"/>.</value>
    /// <remarks>Security: a password in the connection string encrypts the file (AES); keep it out of logs and source control.</remarks>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Gets or sets how often the store deletes expired records on its own, or <see langword="null"/> for never
    /// (call <see cref="ISessionStore.PurgeExpiredAsync"/> yourself then). Between 1 second and 1 day.
    /// </summary>
    /// <value>10 minutes.</value>
    public TimeSpan? PurgeInterval { get; set; } = TimeSpan.FromMinutes(10);
}
