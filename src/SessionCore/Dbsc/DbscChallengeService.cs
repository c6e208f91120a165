using System;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Internal;
using SessionCore.Tokens;

namespace SessionCore.Dbsc;

/// <summary>
/// Issues and verifies DBSC challenges without server state: a challenge is
/// <c>base64url(version ‖ issued-at ‖ 16 random bytes ‖ tag)</c>, where the tag is HMAC-SHA-256 (truncated to
/// 128 bits) under a host key over a label, the purpose, the session identifier and the preceding bytes.
/// Any node holding the key can verify a challenge any node issued; single use across nodes is the job of
/// a store, called through <see cref="ConsumeAsync"/>.
/// </summary>
/// <remarks>
/// <para>
/// Security: the freshness of a DBSC proof rests on its challenge alone (browsers may re-send a cached
/// signature), so a challenge lives briefly (<see cref="Lifetime"/>, five minutes by default) and is
/// accepted once. It is bound to the session it was issued for (its <see cref="SessionId"/>) and to a
/// purpose, so a challenge handed to one session, or issued for registration, never answers a refresh of
/// another. Any unexpired, unused challenge of the session is accepted, not only the latest: the spec
/// warns that a proof for an older challenge may arrive after a newer one was issued.
/// </para>
/// <para>
/// <see cref="Verify"/> checks the tag in constant time before it looks at the time, and
/// <see cref="ConsumeAsync"/> calls the single-use store only for authentic, unexpired challenges, so a
/// client cannot fill the store with junk. The key never leaves the instance and never appears in
/// <see cref="ToString"/>. The same key may serve the bound-cookie service and this one:
/// each MAC input starts with its own label.
/// </para>
/// </remarks>
/// <threadsafety>Safe to share between threads until disposed.</threadsafety>
[DebuggerDisplay("DbscChallengeService")]
[Experimental(DbscDiagnostics.ExperimentalId)]
public sealed class DbscChallengeService : IDisposable
{
    /// <summary>The length of a challenge in characters (41 bytes in base64url).</summary>
    public const int ChallengeLength = 55;

    /// <summary>The size of the key, in bytes (an HMAC-SHA-256 key of full strength).</summary>
    public const int KeySize = 32;

    private const byte Version = 1;
    private const int NonceLength = 16;
    private const int TagLength = 16;
    private const int BodyLength = 1 + 8 + NonceLength;
    private const int RawLength = BodyLength + TagLength;

    private static readonly byte[] s_label = Encoding.ASCII.GetBytes("SessionCore.Dbsc.Challenge.v1\0");

    private readonly HmacSha256Mac _mac;
    private readonly TimeProvider _time;
    private readonly TokenSource _random;
    private bool _disposed;

    /// <summary>Initializes a new instance of the <see cref="DbscChallengeService"/> class.</summary>
    /// <param name="key">32 secret random bytes, shared by every node that verifies challenges; copied.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="lifetime">How long a challenge is accepted; five minutes when <see langword="null"/>, between 10 seconds and 10 minutes.</param>
    /// <exception cref="ArgumentException"><paramref name="key"/> has the wrong length.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lifetime"/> is out of range.</exception>
    public DbscChallengeService(ReadOnlySpan<byte> key, TimeProvider? timeProvider = null, TimeSpan? lifetime = null)
        : this(key, timeProvider, lifetime, TokenSource.System)
    {
    }

    internal DbscChallengeService(ReadOnlySpan<byte> key, TimeProvider? timeProvider, TimeSpan? lifetime, TokenSource random)
    {
        if (key.Length != KeySize)
        {
            throw new ArgumentException(Error.DbscKeyLength, nameof(key));
        }

        TimeSpan chosen = lifetime ?? DefaultLifetime;
        if (chosen < MinLifetime || chosen > MaxLifetime)
        {
            throw new ArgumentOutOfRangeException(nameof(lifetime), Error.DbscLifetimeOutOfRange);
        }

        _mac = new HmacSha256Mac(key);
        _time = timeProvider ?? TimeProvider.System;
        _random = random;
        Lifetime = chosen;
    }

    /// <summary>Gets the default lifetime of a challenge: five minutes.</summary>
    public static TimeSpan DefaultLifetime => TimeSpan.FromMinutes(5);

    /// <summary>Gets the shortest configurable lifetime: 10 seconds.</summary>
    public static TimeSpan MinLifetime => TimeSpan.FromSeconds(10);

    /// <summary>Gets the longest configurable lifetime: 10 minutes.</summary>
    public static TimeSpan MaxLifetime => TimeSpan.FromMinutes(10);

    /// <summary>Gets how far a challenge's issue time may lie ahead of this node's clock (clock differences between nodes): 30 seconds.</summary>
    public static TimeSpan MaxClockSkew => TimeSpan.FromSeconds(30);

    /// <summary>Gets how long a challenge is accepted.</summary>
    public TimeSpan Lifetime { get; }

    /// <summary>Issues a challenge for a session.</summary>
    /// <param name="sessionId">The session the challenge is for (the one whose long-lived cookie the browser sends to the DBSC endpoint).</param>
    /// <param name="purpose">Registration or refresh.</param>
    /// <returns>A 55-character base64url challenge, different on every call.</returns>
    /// <exception cref="ArgumentException"><paramref name="sessionId"/> is the default value.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="purpose"/> is undefined.</exception>
    /// <exception cref="ObjectDisposedException">The service is disposed.</exception>
    public string Issue(SessionId sessionId, DbscChallengePurpose purpose)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        CheckArguments(sessionId, purpose);
        Span<byte> raw = stackalloc byte[RawLength];
        raw[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(raw[1..], _time.GetUtcNow().ToUnixTimeSeconds());
        _random.Fill(raw.Slice(9, NonceLength));
        Span<byte> tag = stackalloc byte[HmacSha256Mac.TagSize];
        try
        {
            ComputeTag(sessionId, purpose, raw[..BodyLength], tag);
            tag[..TagLength].CopyTo(raw[BodyLength..]);
            return Base64UrlStrict.Encode(raw);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(tag);
        }
    }

    /// <summary>Verifies a challenge statelessly (authenticity, session, purpose, age). Never throws on <paramref name="presented"/>.</summary>
    /// <param name="presented">The challenge from the proof's <c>jti</c>, or <see langword="null"/>.</param>
    /// <param name="sessionId">The session of the request (from its long-lived cookie).</param>
    /// <param name="purpose">What the challenge must have been issued for.</param>
    /// <returns><see cref="DbscChallengeStatus.Valid"/> with the single-use details, or why not.</returns>
    /// <exception cref="ArgumentException"><paramref name="sessionId"/> is the default value.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="purpose"/> is undefined.</exception>
    /// <exception cref="ObjectDisposedException">The service is disposed.</exception>
    /// <remarks>Security: this alone does not make the challenge single-use; use <see cref="ConsumeAsync"/> to accept it.</remarks>
    public DbscChallengeResult Verify(string? presented, SessionId sessionId, DbscChallengePurpose purpose)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        CheckArguments(sessionId, purpose);
        if (string.IsNullOrEmpty(presented))
        {
            return DbscChallengeResult.Failure(DbscChallengeStatus.Missing);
        }

        Span<byte> raw = stackalloc byte[RawLength];
        if (presented.Length != ChallengeLength || !Base64UrlStrict.TryDecode(presented, raw, out int written) || written != RawLength || raw[0] != Version)
        {
            return DbscChallengeResult.Failure(DbscChallengeStatus.Malformed);
        }

        Span<byte> expected = stackalloc byte[HmacSha256Mac.TagSize];
        try
        {
            ComputeTag(sessionId, purpose, raw[..BodyLength], expected);
            if (!CryptographicOperations.FixedTimeEquals(expected[..TagLength], raw[BodyLength..]))
            {
                return DbscChallengeResult.Failure(DbscChallengeStatus.Forged);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(expected);
        }

        long issuedSeconds = BinaryPrimitives.ReadInt64BigEndian(raw[1..]);
        DateTimeOffset now = _time.GetUtcNow();
        long nowSeconds = now.ToUnixTimeSeconds();
        long lifetimeSeconds = (long)Lifetime.TotalSeconds;

        // Compare in seconds, so that no value a forger could not choose (the tag is checked) can overflow.
        if (issuedSeconds > nowSeconds + (long)MaxClockSkew.TotalSeconds)
        {
            return DbscChallengeResult.Failure(DbscChallengeStatus.FromTheFuture);
        }

        if (issuedSeconds < 0 || nowSeconds - issuedSeconds >= lifetimeSeconds)
        {
            return DbscChallengeResult.Failure(DbscChallengeStatus.Expired);
        }

        DateTimeOffset issuedAt = DateTimeOffset.FromUnixTimeSeconds(issuedSeconds);
        return DbscChallengeResult.Valid(new DbscChallengeUse(presented, purpose, issuedAt, issuedAt + Lifetime));
    }

    /// <summary>
    /// Verifies a challenge and, when it is valid, uses it exactly once through <paramref name="tryUseOnce"/>:
    /// a single-use store primitive that records the value until the given expiry and answers
    /// <see langword="false"/> when it was recorded before.
    /// </summary>
    /// <param name="presented">The challenge from the proof's <c>jti</c>, or <see langword="null"/>.</param>
    /// <param name="sessionId">The session of the request.</param>
    /// <param name="purpose">What the challenge must have been issued for.</param>
    /// <param name="tryUseOnce">Records <see cref="DbscChallengeUse.Value"/> until <see cref="DbscChallengeUse.ExpiresAt"/> atomically across nodes; <see langword="true"/> for the first use only.</param>
    /// <param name="cancellationToken">Cancels the store call.</param>
    /// <returns><see cref="DbscChallengeStatus.Valid"/> for the first use of a valid challenge; otherwise why not.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="tryUseOnce"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="sessionId"/> is the default value.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="purpose"/> is undefined.</exception>
    /// <exception cref="ObjectDisposedException">The service is disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <remarks>
    /// Security: any failure of <paramref name="tryUseOnce"/> other than the caller's own cancellation is
    /// answered <see cref="DbscChallengeStatus.StoreUnavailable"/>: the challenge is refused (fail closed).
    /// </remarks>
    public async ValueTask<DbscChallengeResult> ConsumeAsync(
        string? presented,
        SessionId sessionId,
        DbscChallengePurpose purpose,
        Func<DbscChallengeUse, CancellationToken, ValueTask<bool>> tryUseOnce,
        CancellationToken cancellationToken = default)
    {
        Throw.IfNull(tryUseOnce);
        DbscChallengeResult verified = Verify(presented, sessionId, purpose);
        if (!verified.TryGetValue(out DbscChallengeUse? use))
        {
            return verified;
        }

        bool first;
        try
        {
            first = await tryUseOnce(use, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A failing store is answered "refused", never "accepted".
        catch (Exception)
#pragma warning restore CA1031
        {
            return DbscChallengeResult.Failure(DbscChallengeStatus.StoreUnavailable);
        }

        return first ? verified : DbscChallengeResult.Failure(DbscChallengeStatus.Replayed);
    }

    /// <summary>Destroys the key.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _mac.Dispose();
        }
    }

    /// <summary>Returns the type name; never key material.</summary>
    /// <returns>The type name.</returns>
    public override string ToString() => nameof(DbscChallengeService);

    private static void CheckArguments(SessionId sessionId, DbscChallengePurpose purpose)
    {
        if (sessionId.IsEmpty)
        {
            throw new ArgumentException(Error.SessionIdEmpty, nameof(sessionId));
        }

        if (purpose is not (DbscChallengePurpose.Registration or DbscChallengePurpose.Refresh))
        {
            throw new ArgumentOutOfRangeException(nameof(purpose), Error.DbscPurposeInvalid);
        }
    }

    private void ComputeTag(SessionId sessionId, DbscChallengePurpose purpose, ReadOnlySpan<byte> body, Span<byte> tag)
    {
        Span<byte> input = stackalloc byte[s_label.Length + 1 + SessionId.Length + BodyLength];
        s_label.CopyTo(input);
        input[s_label.Length] = (byte)purpose;
        Encoding.ASCII.GetBytes(sessionId.ToString(), input.Slice(s_label.Length + 1, SessionId.Length));
        body.CopyTo(input[(s_label.Length + 1 + SessionId.Length)..]);
        _mac.Compute(input, tag);
    }
}
