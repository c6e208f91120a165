using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using SessionCore.Http;
using SessionCore.Internal;

namespace SessionCore.Dbsc;

/// <summary>
/// A framework-free answer of a DBSC endpoint: a status code, headers and a body that the host copies into
/// its response. Every answer carries <c>Cache-Control: no-store</c>.
/// </summary>
/// <remarks>
/// <para>How browsers read the answers (DBSC §8.8 "Send request"):</para>
/// <list type="bullet">
/// <item>200 with instructions: the session is created (registration) or its configuration replaced (refresh).</item>
/// <item>200 without a body, to a refresh: the session continues unchanged; only the cookie is renewed.</item>
/// <item>403 to a refresh: the browser retries with the challenge of the answer's <c>Secure-Session-Challenge</c>.</item>
/// <item><c>{"continue": false}</c>, or another 4xx (not 407, 429): the session ends.</item>
/// <item>5xx, 407, 429 and network errors: the session is kept; the browser may back off.</item>
/// </list>
/// <para>Security: headers can hold a bound cookie; <see cref="ToString"/> shows the status code only.</para>
/// </remarks>
/// <threadsafety>Immutable.</threadsafety>
[Experimental(DbscDiagnostics.ExperimentalId)]
public sealed class DbscAnswer
{
    private static readonly KeyValuePair<string, string> s_noStore = new("Cache-Control", "no-store");
    private static readonly KeyValuePair<string, string> s_json = new("Content-Type", DbscHeaders.InstructionsMediaType);

    private DbscAnswer(int statusCode, IReadOnlyList<KeyValuePair<string, string>> headers, ReadOnlyMemory<byte> body)
    {
        StatusCode = statusCode;
        Headers = headers;
        Body = body;
    }

    /// <summary>Gets the HTTP status code.</summary>
    public int StatusCode { get; }

    /// <summary>Gets the response headers, in order; <c>Set-Cookie</c> and <c>Secure-Session-Challenge</c> may occur more than once.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>Gets the response body (empty when there is none).</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>The answer to a successful registration: 200, the bound cookie and the session instructions.</summary>
    /// <param name="instructions">The new session's instructions.</param>
    /// <param name="boundCookie">The <c>Set-Cookie</c> value from <see cref="DbscBoundCookieService.Issue"/>.</param>
    /// <returns>The answer.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="boundCookie"/> is empty or contains a line break.</exception>
    public static DbscAnswer Registered(DbscSessionInstructions instructions, string boundCookie)
    {
        Throw.IfNull(instructions);
        return new(200, [s_noStore, s_json, SetCookie(boundCookie)], instructions.ToUtf8Json());
    }

    /// <summary>The answer to a successful refresh: 200 and the renewed bound cookie, with new instructions or (by default) none.</summary>
    /// <param name="boundCookie">The <c>Set-Cookie</c> value from <see cref="DbscBoundCookieService.Issue"/>.</param>
    /// <param name="instructions">Replacement instructions, or <see langword="null"/> to keep the session's configuration.</param>
    /// <returns>The answer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="boundCookie"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="boundCookie"/> is empty or contains a line break.</exception>
    public static DbscAnswer Refreshed(string boundCookie, DbscSessionInstructions? instructions = null)
    {
        KeyValuePair<string, string> cookie = SetCookie(boundCookie);
        return instructions is null
            ? new(200, [s_noStore, cookie], ReadOnlyMemory<byte>.Empty)
            : new(200, [s_noStore, s_json, cookie], instructions.ToUtf8Json());
    }

    /// <summary>The answer that demands a proof: 403 with a <c>Secure-Session-Challenge</c>.</summary>
    /// <param name="challengeHeader">The value from <see cref="DbscHeaderWriter.FormatChallenge"/>.</param>
    /// <returns>The answer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="challengeHeader"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="challengeHeader"/> is empty or not printable ASCII.</exception>
    public static DbscAnswer ChallengeRequired(string challengeHeader) =>
        new(403, [s_noStore, Challenge(challengeHeader)], ReadOnlyMemory<byte>.Empty);

    /// <summary>The answer that ends the session in the browser: 200 with <c>{"continue": false}</c>, optionally deleting cookies.</summary>
    /// <param name="setCookies"><c>Set-Cookie</c> values to send along, for example <see cref="DbscBoundCookieService.BuildDeletion"/>.</param>
    /// <returns>The answer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="setCookies"/> or one of its values is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A value is empty or contains a line break.</exception>
    /// <remarks>Send it for a revoked, expired or unknown session, and whenever a refresh must not succeed again.</remarks>
    public static DbscAnswer Terminated(params IEnumerable<string> setCookies)
    {
        Throw.IfNull(setCookies);
        List<KeyValuePair<string, string>> headers = [s_noStore, s_json];
        foreach (string cookie in setCookies)
        {
            headers.Add(SetCookie(cookie));
        }

        return new(200, headers.AsReadOnly(), DbscSessionInstructions.TerminationJson());
    }

    /// <summary>A refusal without instructions, for a request that is malformed or not allowed; a browser ends the session (or abandons the registration).</summary>
    /// <param name="statusCode">A 4xx status other than 403, 407 and 429 (which browsers treat as "try again"); 400 by default.</param>
    /// <returns>The answer.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="statusCode"/> is not such a status.</exception>
    public static DbscAnswer Refused(int statusCode = 400)
    {
        if (statusCode is < 400 or > 499 or 403 or 407 or 429)
        {
            throw new ArgumentOutOfRangeException(nameof(statusCode), Error.DbscStatusInvalid);
        }

        return new(statusCode, [s_noStore], ReadOnlyMemory<byte>.Empty);
    }

    /// <summary>The answer when the server cannot decide now (its store is unavailable): 503, which a browser treats as "keep the session, try later".</summary>
    /// <returns>The answer.</returns>
    public static DbscAnswer Unavailable() => new(503, [s_noStore], ReadOnlyMemory<byte>.Empty);

    /// <summary>Returns a copy of this answer that also hands the browser its next challenge, saving a round trip at the next refresh.</summary>
    /// <param name="challengeHeader">The value from <see cref="DbscHeaderWriter.FormatChallenge"/>.</param>
    /// <returns>The new answer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="challengeHeader"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="challengeHeader"/> is empty or not printable ASCII.</exception>
    public DbscAnswer WithChallenge(string challengeHeader)
    {
        List<KeyValuePair<string, string>> headers = [.. Headers, Challenge(challengeHeader)];
        return new(StatusCode, headers.AsReadOnly(), Body);
    }

    /// <summary>Returns the status code; never a header value.</summary>
    /// <returns>The status code.</returns>
    public override string ToString() => StatusCode.ToString(CultureInfo.InvariantCulture);

    private static KeyValuePair<string, string> SetCookie(string value)
    {
        Throw.IfNull(value);
        if (value.Length == 0 || value.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new ArgumentException(Error.DbscSetCookieInvalid, nameof(value));
        }

        return new("Set-Cookie", value);
    }

    private static KeyValuePair<string, string> Challenge(string value)
    {
        Throw.IfNull(value);
        if (value.Length == 0 || !StructuredFieldWriter.IsStringContent(value))
        {
            throw new ArgumentException(Error.DbscHeaderValueInvalid, nameof(value));
        }

        return new(DbscHeaders.Challenge, value);
    }
}
