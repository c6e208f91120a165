using System.Collections.Generic;

namespace SessionCore;

/// <summary>What the host knows when a user has just proved who they are.</summary>
/// <threadsafety>Not thread-safe; build one per sign-in.</threadsafety>
public sealed class SignInRequest
{
    /// <summary>Initializes a new instance of the <see cref="SignInRequest"/> class.</summary>
    /// <param name="userId">The authenticated user.</param>
    public SignInRequest(string userId) => UserId = userId;

    /// <summary>Gets the authenticated user.</summary>
    public string UserId { get; }

    /// <summary>Gets or sets the authentication level reached (for example 1 = password, 2 = multi-factor).</summary>
    /// <value>1.</value>
    public int AuthenticationLevel { get; set; } = 1;

    /// <summary>Gets or sets what is known of the client device.</summary>
    /// <value><see langword="null"/>.</value>
    public SessionDevice? Device { get; set; }

    /// <summary>Gets or sets the session token the client presented before signing in, if any.</summary>
    /// <value><see langword="null"/>.</value>
    /// <remarks>
    /// Security: this token is never adopted. When it names a session, that session is revoked, so a
    /// token planted in the browser by an attacker (session fixation) dies at sign-in.
    /// </remarks>
    public string? PresentedToken { get; set; }

    /// <summary>Gets or sets a small bag of host data for the session (not for secrets).</summary>
    /// <value><see langword="null"/>.</value>
    public IReadOnlyDictionary<string, string>? Data { get; set; }
}
