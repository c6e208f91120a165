namespace SessionCore.Scale;

/// <summary>What a <see cref="SessionInvalidation"/> invalidates.</summary>
public enum SessionInvalidationKind
{
    /// <summary>One session changed: revoked (directly, by regeneration, eviction or refresh-token reuse), bound to a key, or its refresh family revoked.</summary>
    Session = 0,

    /// <summary>A user's sessions were revoked, with or without a security-epoch advance.</summary>
    User = 1,

    /// <summary>The global revocation instant moved (break-glass): every session created at or before it is revoked.</summary>
    Everything = 2,
}
