using System;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using SessionCore.Http;
using SessionCore.Internal;

namespace SessionCore.Dbsc;

/// <summary>
/// Writes the DBSC response headers as RFC 9651 structured fields: <c>Secure-Session-Registration</c>
/// (DBSC §9.1) and <c>Secure-Session-Challenge</c> (§9.2). Values a browser cannot parse back exactly are
/// refused with an exception, because they come from the host's code, not from a client.
/// </summary>
/// <threadsafety>Stateless and safe to share.</threadsafety>
[Experimental(DbscDiagnostics.ExperimentalId)]
public static class DbscHeaderWriter
{
    /// <summary>The longest endpoint path or URL written.</summary>
    public const int MaxPathLength = 2048;

    /// <summary>The longest challenge written.</summary>
    public const int MaxChallengeLength = 1024;

    /// <summary>The longest <c>authorization</c> value written.</summary>
    public const int MaxAuthorizationLength = 4096;

    /// <summary>The longest DBSC session identifier accepted.</summary>
    public const int MaxSessionIdentifierLength = 256;

    /// <summary>
    /// Writes a <c>Secure-Session-Registration</c> value:
    /// <c>(ES256 RS256);path="/dbsc/register";challenge="…"[;authorization="…"]</c>.
    /// </summary>
    /// <param name="algorithms">The algorithms offered, written in the order ES256, RS256.</param>
    /// <param name="path">The registration endpoint: an origin-relative path (<c>/dbsc/register</c>) or an absolute https URL of the same site.</param>
    /// <param name="challenge">A registration challenge from <see cref="DbscChallengeService.Issue"/>; the browser copies it into the proof's <c>jti</c>.</param>
    /// <param name="authorization">An optional value the browser copies into the proof's <c>authorization</c> claim and the registration request's <c>Authorization</c> header.</param>
    /// <returns>The header value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> or <paramref name="challenge"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An argument is outside the bounds given in its description.</exception>
    /// <remarks>
    /// Security: the path must not start with <c>//</c> or contain <c>\</c>; browsers would resolve either
    /// against another host. A browser also refuses an endpoint that is not same-site with the response.
    /// </remarks>
    public static string FormatRegistration(DbscAlgorithms algorithms, string path, string challenge, string? authorization = null)
    {
        if (algorithms == DbscAlgorithms.None || (algorithms & ~(DbscAlgorithms.Es256 | DbscAlgorithms.Rs256)) != 0)
        {
            throw new ArgumentException(Error.DbscAlgorithmsInvalid, nameof(algorithms));
        }

        Throw.IfNull(path);
        Throw.IfNull(challenge);
        if (!IsEndpoint(path))
        {
            throw new ArgumentException(Error.DbscPathInvalid, nameof(path));
        }

        CheckChallenge(challenge);
        if (authorization is not null && (authorization.Length is 0 or > MaxAuthorizationLength || !StructuredFieldWriter.IsStringContent(authorization)))
        {
            throw new ArgumentException(Error.DbscAuthorizationInvalid, nameof(authorization));
        }

        StringBuilder builder = new(64 + path.Length + challenge.Length + (authorization?.Length ?? 0));
        builder.Append('(');
        if ((algorithms & DbscAlgorithms.Es256) != 0)
        {
            builder.Append("ES256");
        }

        if ((algorithms & DbscAlgorithms.Rs256) != 0)
        {
            builder.Append(builder.Length > 1 ? " RS256" : "RS256");
        }

        builder.Append(')');
        StructuredFieldWriter.AppendStringParameter(builder, "path", path);
        StructuredFieldWriter.AppendStringParameter(builder, "challenge", challenge);
        if (authorization is not null)
        {
            StructuredFieldWriter.AppendStringParameter(builder, "authorization", authorization);
        }

        return builder.ToString();
    }

    /// <summary>Writes a <c>Secure-Session-Challenge</c> value: <c>"challenge";id="session identifier"</c>.</summary>
    /// <param name="challenge">A refresh challenge from <see cref="DbscChallengeService.Issue"/>.</param>
    /// <param name="sessionIdentifier">The DBSC session identifier the challenge is for (see <see cref="IsSessionIdentifier"/>).</param>
    /// <returns>The header value.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An argument is outside its bounds.</exception>
    /// <remarks>
    /// Send it with a 403 answer to a refresh request to demand a proof, or with any answer in the session's
    /// scope to hand the browser a challenge ahead of its next refresh.
    /// </remarks>
    public static string FormatChallenge(string challenge, string sessionIdentifier)
    {
        Throw.IfNull(challenge);
        Throw.IfNull(sessionIdentifier);
        CheckChallenge(challenge);
        CheckSessionIdentifier(sessionIdentifier);
        StringBuilder builder = new(16 + challenge.Length + sessionIdentifier.Length);
        StructuredFieldWriter.AppendString(builder, challenge);
        StructuredFieldWriter.AppendStringParameter(builder, "id", sessionIdentifier);
        return builder.ToString();
    }

    /// <summary>
    /// Whether a value can serve as a DBSC session identifier: 1 to 256 characters, a letter followed by
    /// letters, digits and <c>-._~</c>.
    /// </summary>
    /// <param name="value">The candidate.</param>
    /// <returns><see langword="true"/> when the value is acceptable.</returns>
    /// <remarks>
    /// The spec makes the identifier an sf-string; Chromium sends it back in <c>Sec-Secure-Session-Id</c>
    /// without quotes. Restricting identifiers to this alphabet makes both spellings parse to the same
    /// value (the bare form is then an RFC 9651 token), so the reader can stay strict.
    /// </remarks>
    public static bool IsSessionIdentifier([NotNullWhen(true)] string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxSessionIdentifierLength || !StructuredFieldWriter.IsAlpha(value[0]))
        {
            return false;
        }

        foreach (char c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether an endpoint (registration path or refresh URL) is safe to hand a browser.</summary>
    internal static bool IsEndpoint(string value)
    {
        if (value.Length is 0 or > MaxPathLength || !StructuredFieldWriter.IsStringContent(value) || value.Contains('\\', StringComparison.Ordinal))
        {
            return false;
        }

        if (value[0] == '/')
        {
            // "//host/…" is a network-path reference: another host.
            return value.Length == 1 || value[1] != '/';
        }

        return Uri.TryCreate(value, UriKind.Absolute, out Uri? uri)
            && uri.Scheme == Uri.UriSchemeHttps
            && uri.UserInfo.Length == 0
            && value.StartsWith("https://", StringComparison.Ordinal);
    }

    internal static void CheckSessionIdentifier(string sessionIdentifier, string paramName = "sessionIdentifier")
    {
        if (!IsSessionIdentifier(sessionIdentifier))
        {
            throw new ArgumentException(Error.DbscSessionIdentifierInvalid, paramName);
        }
    }

    private static void CheckChallenge(string challenge)
    {
        if (challenge.Length is 0 or > MaxChallengeLength || !StructuredFieldWriter.IsStringContent(challenge))
        {
            throw new ArgumentException(Error.DbscChallengeInvalid, nameof(challenge));
        }
    }
}
