using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace SessionCore.AspNetCore.Endpoints;

/// <summary>
/// A grant type of the token endpoint besides <c>refresh_token</c>: a password-less exchange (a passkey assertion,
/// an e-mail link code, a device code), or a resource-owner password grant for a first-party client. It
/// authenticates the user from the form and signs a session in; the endpoint then issues a refresh-token family
/// bound to that session and an access token.
/// </summary>
/// <remarks>
/// Security: authenticate from the form only (never the URL); throttle failures; answer every failure with the
/// same <see cref="OAuthGrantResult.Refused(string)"/> so a client learns nothing about which part failed.
/// </remarks>
public interface IOAuthGrantHandler
{
    /// <summary>Gets the <c>grant_type</c> value this handler answers (RFC 6749 §4.5: an absolute URI for an extension grant).</summary>
    string GrantType { get; }

    /// <summary>Authenticates the request and signs a session in.</summary>
    /// <param name="context">The request; the form has been read and holds each parameter at most once.</param>
    /// <param name="form">The form parameters.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The new session's token, or a refusal.</returns>
    ValueTask<OAuthGrantResult> ExchangeAsync(HttpContext context, IFormCollection form, CancellationToken cancellationToken);
}
