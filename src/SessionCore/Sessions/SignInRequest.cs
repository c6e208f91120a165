using System.Collections.Generic;
using SessionCore.Devices;

namespace SessionCore.Sessions;

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
    /// <remarks>Leave it <see langword="null"/> when <see cref="Client"/> is set: the library then derives the device itself.</remarks>
    public SessionDevice? Device { get; set; }

    /// <summary>Gets or sets the raw client information (user agent, address, device-id cookie) for new-device detection.</summary>
    /// <value><see langword="null"/>: no device is recorded and no new-device check is made.</value>
    /// <remarks>
    /// Security: the library stores only the user-agent family, the coarse network and a hash of the
    /// device-id cookie, remembers the fingerprint for the user and reports an unseen one through
    /// <see cref="SignInResult.IsNewDevice"/> and a <see cref="Diagnostics.NewDeviceSignIn"/> event.
    /// </remarks>
    public ClientInfo? Client { get; set; }

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

    /// <summary>
    /// Gets or sets how the user authenticated (RFC 8176 values such as <c>pwd</c>, <c>otp</c>, <c>hwk</c>; at most 8 HTTP
    /// tokens of up to 32 characters, no repeats), recorded on the session and carried as <c>amr</c> in access tokens.
    /// </summary>
    public IReadOnlyList<string>? AuthenticationMethods { get; set; }

    /// <summary>
    /// Gets or sets the user's security epoch as read before the credential was checked (see
    /// <see cref="Stores.ISessionStore.GetSecurityEpochAsync"/>), or <see langword="null"/> to accept the current epoch.
    /// </summary>
    /// <remarks>
    /// Security: a password change or other invalidation that completes between the credential check and the sign-in
    /// advances the epoch; with the epoch read before the check, the sign-in is then refused
    /// (<see cref="SignInStatus.Invalidated"/>) in the same atomic step that would have created the session. Without it,
    /// such a sign-in succeeds under the new epoch, because the library cannot see when the credential was checked.
    /// </remarks>
    public long? ExpectedSecurityEpoch { get; set; }
}
