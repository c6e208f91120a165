using System;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using SessionCore.Http;
using SessionCore.Internal;
using SessionCore.Tokens;

namespace SessionCore.Dbsc;

/// <summary>
/// Issues and verifies the short-lived cookie of a bound session as a stateless, authenticated value:
/// <c>base64url(version ‖ expires-at ‖ session id hash ‖ key thumbprint ‖ tag)</c>, where the tag is
/// HMAC-SHA-256 (truncated to 128 bits) under a host key. Verification is one MAC and a few comparisons:
/// no signature check and no store call.
/// </summary>
/// <remarks>
/// <para>
/// Security: the cookie proves that this host issued it, for this session and key, until its expiry, which
/// is never more than <see cref="DbscBoundCookieOptions.MaxAge"/> (ten minutes by default) nor beyond the
/// session's end. It does not prove that the session is still alive: revocation is seen by the session
/// lookup that authenticates the long-lived cookie, which every request still performs. A host that checks
/// only the bound cookie (for example at an edge) accepts a revoked session until the cookie expires. See
/// decision record 0005.
/// </para>
/// <para>
/// The tag is compared in constant time before any other field is trusted; a valid cookie of another
/// session (<see cref="DbscBoundCookieStatus.WrongSession"/>) suggests copied cookies. The key never
/// leaves the instance and never appears in <see cref="ToString"/>. The cookie is written by
/// <see cref="SessionCookieBuilder"/> with the <c>__Host-</c> prefix, <c>Secure</c>, <c>HttpOnly</c> and
/// <c>SameSite</c>, and read with <see cref="CookieHeaderParser"/>, which refuses a duplicated name.
/// </para>
/// </remarks>
/// <threadsafety>Safe to share between threads until disposed.</threadsafety>
[DebuggerDisplay("DbscBoundCookieService {Name}")]
[Experimental(DbscDiagnostics.ExperimentalId)]
public sealed class DbscBoundCookieService : IDisposable
{
    /// <summary>The length of a cookie value in characters (89 bytes in base64url).</summary>
    public const int ValueLength = 119;

    /// <summary>The size of the key, in bytes (an HMAC-SHA-256 key of full strength).</summary>
    public const int KeySize = 32;

    private const byte Version = 1;
    private const int HashLength = 32;
    private const int TagLength = 16;
    private const int BodyLength = 1 + 8 + HashLength + HashLength;
    private const int RawLength = BodyLength + TagLength;

    private static readonly byte[] s_label = Encoding.ASCII.GetBytes("SessionCore.Dbsc.BoundCookie.v1\0");

    private readonly HmacSha256Mac _mac;
    private readonly TimeProvider _time;
    private readonly SessionCookieBuilder _builder;
    private bool _disposed;

    /// <summary>Initializes a new instance of the <see cref="DbscBoundCookieService"/> class.</summary>
    /// <param name="key">32 secret random bytes, shared by every node that verifies bound cookies; copied.</param>
    /// <param name="options">The cookie attributes, or <see langword="null"/> for the defaults; validated and copied.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="key"/> has the wrong length, or the name does not start with <c>__Host-</c> or is not a token.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="DbscBoundCookieOptions.MaxAge"/> or <see cref="DbscBoundCookieOptions.SameSite"/> is out of range.</exception>
    public DbscBoundCookieService(ReadOnlySpan<byte> key, DbscBoundCookieOptions? options = null, TimeProvider? timeProvider = null)
    {
        if (key.Length != KeySize)
        {
            throw new ArgumentException(Error.DbscKeyLength, nameof(key));
        }

        options ??= new DbscBoundCookieOptions();
        string name = options.Name;
        if (name is null || !name.StartsWith("__Host-", StringComparison.Ordinal) || name.Length is <= 7 or > 256 || !HttpGrammar.IsToken(name))
        {
            throw new ArgumentException(Error.DbscCookieNameInvalid, nameof(options));
        }

        if (options.MaxAge < DbscBoundCookieOptions.MinMaxAge || options.MaxAge > DbscBoundCookieOptions.MaxMaxAge)
        {
            throw new ArgumentOutOfRangeException(nameof(options), Error.DbscCookieMaxAgeOutOfRange);
        }

        // The builder checks the remaining combinations (a defined SameSite) and writes the attributes.
        _builder = new SessionCookieBuilder(new SessionCookieOptions
        {
            Name = name,
            SameSite = options.SameSite,
            MaxAge = TimeSpan.FromSeconds(Math.Floor(options.MaxAge.TotalSeconds)),
            Secure = true,
            Path = "/",
            Domain = null,
        });
        _mac = new HmacSha256Mac(key);
        _time = timeProvider ?? TimeProvider.System;
        Credential = new DbscCookieCredential(name, _builder.Attributes);
    }

    /// <summary>Gets how far an expiry may lie in the past (or a cookie's lifetime beyond <see cref="MaxAge"/>) before it is refused, to absorb clock differences between nodes: 30 seconds.</summary>
    public static TimeSpan MaxClockSkew => TimeSpan.FromSeconds(30);

    /// <summary>Gets the cookie name.</summary>
    public string Name => _builder.Name;

    /// <summary>Gets the longest lifetime of a bound cookie.</summary>
    public TimeSpan MaxAge => _builder.MaxAge;

    /// <summary>Gets the credential to list in the registration and refresh answers, with the same name and attributes as the cookies this service writes.</summary>
    public DbscCookieCredential Credential { get; }

    /// <summary>Issues a bound cookie.</summary>
    /// <param name="sessionId">The session.</param>
    /// <param name="keyThumbprint">The RFC 7638 thumbprint of the key the session is bound to.</param>
    /// <param name="notAfter">When the session ends (its absolute expiry); the cookie never outlives it.</param>
    /// <returns>The <c>Set-Cookie</c> header value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="keyThumbprint"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="sessionId"/> is the default value, <paramref name="keyThumbprint"/> is not a SHA-256 thumbprint, or <paramref name="notAfter"/> is less than a second away.</exception>
    /// <exception cref="ObjectDisposedException">The service is disposed.</exception>
    /// <remarks>Security: the return value is a credential; never log it.</remarks>
    public string Issue(SessionId sessionId, string keyThumbprint, DateTimeOffset notAfter)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Span<byte> raw = stackalloc byte[RawLength];
        WriteIdentity(sessionId, keyThumbprint, raw, nameof(sessionId), nameof(keyThumbprint));
        DateTimeOffset now = _time.GetUtcNow();
        TimeSpan remaining = notAfter - now;
        if (remaining < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentException(Error.DbscCookieNotAfterPassed, nameof(notAfter));
        }

        long seconds = (long)Math.Floor((remaining < MaxAge ? remaining : MaxAge).TotalSeconds);
        raw[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(raw[1..], now.ToUnixTimeSeconds() + seconds);
        Span<byte> tag = stackalloc byte[HmacSha256Mac.TagSize];
        try
        {
            ComputeTag(raw[..BodyLength], tag);
            tag[..TagLength].CopyTo(raw[BodyLength..]);
            return _builder.Build(Base64UrlStrict.Encode(raw), TimeSpan.FromSeconds(seconds));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(tag);
        }
    }

    /// <summary>Verifies a bound cookie for the session a request authenticated with. Never throws on <paramref name="value"/>.</summary>
    /// <param name="value">The cookie value, or <see langword="null"/>.</param>
    /// <param name="expectedSessionId">The session of the request (from its long-lived cookie).</param>
    /// <param name="expectedKeyThumbprint">The thumbprint of the key that session is bound to.</param>
    /// <returns><see cref="DbscBoundCookieStatus.Valid"/>, or why not.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="expectedKeyThumbprint"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="expectedSessionId"/> is the default value or <paramref name="expectedKeyThumbprint"/> is not a SHA-256 thumbprint.</exception>
    /// <exception cref="ObjectDisposedException">The service is disposed.</exception>
    public DbscBoundCookieResult Verify(string? value, SessionId expectedSessionId, string expectedKeyThumbprint)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Span<byte> expected = stackalloc byte[RawLength];
        WriteIdentity(expectedSessionId, expectedKeyThumbprint, expected, nameof(expectedSessionId), nameof(expectedKeyThumbprint));
        return Check(value, expected);
    }

    /// <summary>Finds the bound cookie in a <c>Cookie</c> request header and verifies it (see <see cref="Verify"/>).</summary>
    /// <param name="cookieHeader">The <c>Cookie</c> header, or <see langword="null"/>.</param>
    /// <param name="expectedSessionId">The session of the request.</param>
    /// <param name="expectedKeyThumbprint">The thumbprint of the key that session is bound to.</param>
    /// <returns><see cref="DbscBoundCookieStatus.Valid"/>, or why not.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="expectedKeyThumbprint"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An expected value is invalid.</exception>
    /// <exception cref="ObjectDisposedException">The service is disposed.</exception>
    public DbscBoundCookieResult VerifyCookieHeader(string? cookieHeader, SessionId expectedSessionId, string expectedKeyThumbprint)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Span<byte> expected = stackalloc byte[RawLength];
        WriteIdentity(expectedSessionId, expectedKeyThumbprint, expected, nameof(expectedSessionId), nameof(expectedKeyThumbprint));
        HeaderValueResult found = CookieHeaderParser.Find(cookieHeader, Name);
        return found.Status switch
        {
            HeaderValueStatus.Found => Check(found.Value, expected),
            HeaderValueStatus.NotFound => DbscBoundCookieResult.Failure(DbscBoundCookieStatus.Missing),
            HeaderValueStatus.Ambiguous => DbscBoundCookieResult.Failure(DbscBoundCookieStatus.Ambiguous),
            _ => DbscBoundCookieResult.Failure(DbscBoundCookieStatus.Malformed),
        };
    }

    /// <summary>
    /// Reads a bound cookie without an expected session: authenticity and expiry only. For a component that
    /// has no session lookup (for example an edge that routes by session); it cannot see revocation.
    /// </summary>
    /// <param name="value">The cookie value, or <see langword="null"/>.</param>
    /// <returns><see cref="DbscBoundCookieStatus.Valid"/> with the session and key the cookie names, or why not.</returns>
    /// <exception cref="ObjectDisposedException">The service is disposed.</exception>
    public DbscBoundCookieResult Read(string? value)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Check(value, default);
    }

    /// <summary>Writes the cookie that deletes the bound cookie (for sign-out and revocation): same name and attributes, empty value, <c>Max-Age=0</c>.</summary>
    /// <returns>The <c>Set-Cookie</c> header value.</returns>
    public string BuildDeletion() => _builder.BuildDeletion();

    /// <summary>Destroys the key.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _mac.Dispose();
        }
    }

    /// <summary>Returns the cookie name; never key material.</summary>
    /// <returns>The cookie name.</returns>
    public override string ToString() => Name;

    private static void WriteIdentity(SessionId sessionId, string keyThumbprint, Span<byte> raw, string sessionParam, string thumbprintParam)
    {
        if (keyThumbprint is null)
        {
            Throw.ArgumentNullException(thumbprintParam);
        }

        if (sessionId.IsEmpty || !Base64UrlStrict.TryDecode(sessionId.ToString(), raw.Slice(9, HashLength), out _))
        {
            throw new ArgumentException(Error.SessionIdEmpty, sessionParam);
        }

        if (keyThumbprint.Length != 43 || !Base64UrlStrict.TryDecode(keyThumbprint, raw.Slice(9 + HashLength, HashLength), out int written) || written != HashLength)
        {
            throw new ArgumentException(Error.DbscThumbprintInvalid, thumbprintParam);
        }
    }

    /// <summary>Checks a value; <paramref name="expected"/> is empty (no expectation) or holds the expected identity at the cookie's offsets.</summary>
    private DbscBoundCookieResult Check(string? value, ReadOnlySpan<byte> expected)
    {
        if (string.IsNullOrEmpty(value))
        {
            return DbscBoundCookieResult.Failure(DbscBoundCookieStatus.Missing);
        }

        Span<byte> raw = stackalloc byte[RawLength];
        if (value.Length != ValueLength || !Base64UrlStrict.TryDecode(value, raw, out int written) || written != RawLength || raw[0] != Version)
        {
            return DbscBoundCookieResult.Failure(DbscBoundCookieStatus.Malformed);
        }

        Span<byte> tag = stackalloc byte[HmacSha256Mac.TagSize];
        try
        {
            ComputeTag(raw[..BodyLength], tag);
            if (!CryptographicOperations.FixedTimeEquals(tag[..TagLength], raw[BodyLength..]))
            {
                return DbscBoundCookieResult.Failure(DbscBoundCookieStatus.Forged);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(tag);
        }

        long expiresSeconds = BinaryPrimitives.ReadInt64BigEndian(raw[1..]);
        long nowSeconds = _time.GetUtcNow().ToUnixTimeSeconds();
        long skew = (long)MaxClockSkew.TotalSeconds;

        // Compare in seconds; only this host writes the value (the tag is checked), but stay clear of overflow.
        if (expiresSeconds < 0 || expiresSeconds + skew <= nowSeconds)
        {
            return DbscBoundCookieResult.Failure(DbscBoundCookieStatus.Expired);
        }

        if (expiresSeconds - nowSeconds > (long)MaxAge.TotalSeconds + skew)
        {
            return DbscBoundCookieResult.Failure(DbscBoundCookieStatus.TooLongLived);
        }

        ReadOnlySpan<byte> session = raw.Slice(9, HashLength);
        ReadOnlySpan<byte> thumbprint = raw.Slice(9 + HashLength, HashLength);
        if (!expected.IsEmpty)
        {
            if (!CryptographicOperations.FixedTimeEquals(session, expected.Slice(9, HashLength)))
            {
                return DbscBoundCookieResult.Failure(DbscBoundCookieStatus.WrongSession);
            }

            if (!CryptographicOperations.FixedTimeEquals(thumbprint, expected.Slice(9 + HashLength, HashLength)))
            {
                return DbscBoundCookieResult.Failure(DbscBoundCookieStatus.WrongKey);
            }
        }

        return DbscBoundCookieResult.Valid(new DbscBoundCookie(
            SessionId.Parse(Base64UrlStrict.Encode(session)),
            Base64UrlStrict.Encode(thumbprint),
            DateTimeOffset.FromUnixTimeSeconds(expiresSeconds)));
    }

    private void ComputeTag(ReadOnlySpan<byte> body, Span<byte> tag)
    {
        Span<byte> input = stackalloc byte[s_label.Length + BodyLength];
        s_label.CopyTo(input);
        body.CopyTo(input[s_label.Length..]);
        _mac.Compute(input, tag);
    }
}
