using System.Collections.Generic;

namespace SessionCore.Sessions;

/// <summary>What changes when a session is regenerated (privilege change, step-up, re-authentication).</summary>
/// <threadsafety>Not thread-safe; build one per call.</threadsafety>
public sealed class SessionChange
{
    /// <summary>Gets or sets the new authentication level, or <see langword="null"/> to keep it.</summary>
    /// <value><see langword="null"/>.</value>
    public int? AuthenticationLevel { get; set; }

    /// <summary>Gets or sets a value indicating whether the user has just proved who they are again (resets freshness).</summary>
    /// <value><see langword="false"/>.</value>
    public bool Reauthenticated { get; set; }

    /// <summary>Gets or sets a replacement data bag, or <see langword="null"/> to keep it.</summary>
    /// <value><see langword="null"/>.</value>
    public IReadOnlyDictionary<string, string>? Data { get; set; }

    /// <summary>Gets or sets the new authentication methods (as for <see cref="SignInRequest.AuthenticationMethods"/>), or <see langword="null"/> to keep the current ones.</summary>
    /// <value><see langword="null"/>.</value>
    public IReadOnlyList<string>? AuthenticationMethods { get; set; }
}
