namespace SessionCore.Stores.Mongo;

/// <summary>Where the MongoDB store keeps its records.</summary>
/// <threadsafety>Not thread-safe; configure it once at start-up. The store copies the values it needs.</threadsafety>
public sealed class MongoSessionStoreOptions
{
    /// <summary>
    /// Gets or sets the connection string (for example <c>mongodb://db1,db2,db3/?replicaSet=rs0</c>). Used by
    /// <c>AddMongoStore</c>; ignored when the store is given an <c>IMongoDatabase</c>.
    /// </summary>
    /// <value><see langword="null"/>.</value>
    /// <remarks>Security: the connection string may hold credentials; keep it out of logs and source control, and use TLS.</remarks>
    public string? ConnectionString { get; set; }

    /// <summary>Gets or sets the database name. Used by <c>AddMongoStore</c>.</summary>
    /// <value><c>sessioncore</c>.</value>
    public string DatabaseName { get; set; } = "sessioncore";

    /// <summary>
    /// Gets or sets the collection holding one document per user (sessions, refresh families, security epoch, known
    /// devices) and the global revocation instant.
    /// </summary>
    /// <value><c>user_sessions</c>.</value>
    public string SessionsCollectionName { get; set; } = "user_sessions";

    /// <summary>
    /// Gets or sets a value indicating whether the store creates its indexes before its first operation. When
    /// <see langword="false"/>, call <see cref="MongoSessionStore.EnsureIndexesAsync"/> at start-up (or create the
    /// indexes in a migration).
    /// </summary>
    /// <value><see langword="true"/>.</value>
    public bool CreateIndexesOnFirstUse { get; set; } = true;

    /// <summary>Gets or sets the collection holding single-use entries (DPoP proof ids, binding challenges), one small document each.</summary>
    /// <value><c>single_use</c>.</value>
    public string SingleUseCollectionName { get; set; } = "single_use";
}
