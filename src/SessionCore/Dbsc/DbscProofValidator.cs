using System;
using System.Buffers;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Internal;
using SessionCore.Keys;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tokens;

namespace SessionCore.Dbsc;

/// <summary>
/// Validates DBSC proofs (the JWS of <c>Secure-Session-Response</c>, DBSC §9.7): at registration signed by the
/// public key in its header, at refresh by the key registered for the session; the challenge it answers is used
/// once across every node that shares the store.
/// </summary>
/// <remarks>
/// <para>
/// Security: in order, a proof is refused when it is longer than <see cref="MaxProofLength"/> (before any parsing),
/// not one compact JWS of canonical base64url and strict JSON (no duplicate member at any depth), not typed
/// <c>dbsc+jwt</c>, signed with an algorithm other than ES256 or RS256, carries <c>crit</c>/<c>jku</c>/<c>x5u</c>/<c>x5c</c>/
/// <c>b64</c>/<c>zip</c>; at registration when it has no public <c>jwk</c> or one with a private member, at refresh
/// when it has any <c>jwk</c>; when its signature does not verify. Only then are the claims read: <c>jti</c> must be
/// a challenge this host issued for this session and purpose, unexpired; <c>authorization</c> must equal the value
/// the registration offered, when one was offered. Older clients' <c>aud</c>, <c>iat</c>, <c>key</c> and <c>sub</c>
/// are tolerated and never required: freshness rests on the challenge alone. Last, the challenge is recorded with
/// <see cref="ISessionStore.TryUseOnceAsync"/>: a second answer is <see cref="DbscProofStatus.ChallengeReplayed"/>,
/// and a store failure refuses.
/// </para>
/// <para>
/// The cost of any input is linear in its length and bounded by <see cref="MaxProofLength"/>; one signature check
/// at most, and a registered key is imported once and then found by its thumbprint. Untrusted input never throws.
/// </para>
/// </remarks>
/// <threadsafety>Safe to share between threads.</threadsafety>
[DebuggerDisplay("DbscProofValidator")]
[Experimental(DbscDiagnostics.ExperimentalId)]
public sealed class DbscProofValidator
{
    /// <summary>The longest proof read, in characters: room for an RSA-4096 <c>jwk</c> and long claims.</summary>
    public const int MaxProofLength = 8192;

    private const int StackLimit = 2048;
    private const int MaxChallengeLength = DbscHeaderWriter.MaxChallengeLength;
    private const int MaxAuthorizationLength = DbscHeaderWriter.MaxAuthorizationLength;
    private const string SingleUseScope = "dbsc";
    private const int KeyCacheSize = 256;

    private static readonly ProofJwsPolicy s_policy = new(DbscHeaders.ProofType, [ProofAlgorithm.Es256, ProofAlgorithm.Rs256], MaxProofLength);
    private static readonly byte[] s_singleUsePrefix = SingleUseKey.CreatePrefix(DbscChallengeUse.SingleUsePurpose, SingleUseScope);

    private readonly DbscChallengeService _challenges;
    private readonly ISessionStore _store;
    private readonly TimeProvider _time;
    private readonly ProofKeyCache _keys = new(KeyCacheSize);

    /// <summary>Initializes a new instance of the <see cref="DbscProofValidator"/> class.</summary>
    /// <param name="challenges">The challenge service that issued the challenges the proofs answer.</param>
    /// <param name="store">The store whose <see cref="ISessionStore.TryUseOnceAsync"/> makes each challenge single-use across nodes.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="challenges"/> or <paramref name="store"/> is <see langword="null"/>.</exception>
    public DbscProofValidator(DbscChallengeService challenges, ISessionStore store, TimeProvider? timeProvider = null)
    {
        Throw.IfNull(challenges);
        Throw.IfNull(store);
        _challenges = challenges;
        _store = store;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets the algorithms a registration offers and a proof may be signed with: ES256 and RS256 (DBSC §9.1), in that order of preference.</summary>
    /// <remarks>Security: an RS256 key must have a modulus of 2048 to 4096 bits and an odd public exponent of at least 3.</remarks>
    public static DbscAlgorithms SupportedAlgorithms => DbscAlgorithms.Es256 | DbscAlgorithms.Rs256;

    /// <summary>Validates a registration proof: signed by the public key in its header, answering a registration challenge of the session.</summary>
    /// <param name="proof">The JWS from <c>Secure-Session-Response</c> (read with <see cref="DbscHeaderReader.ReadProof"/>), or <see langword="null"/>.</param>
    /// <param name="sessionId">The session of the registration request (from its long-lived cookie).</param>
    /// <param name="authorization">The <c>authorization</c> value the registration header offered, or <see langword="null"/> when none was.</param>
    /// <param name="cancellationToken">Cancels the store call.</param>
    /// <returns>The key and challenge, or the check that failed.</returns>
    /// <exception cref="ArgumentException"><paramref name="sessionId"/> is the default value.</exception>
    /// <exception cref="ObjectDisposedException">The challenge service is disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public ValueTask<DbscProofResult> ValidateRegistrationAsync(string? proof, SessionId sessionId, string? authorization = null, CancellationToken cancellationToken = default) =>
        ValidateAsync(proof, sessionId, DbscChallengePurpose.Registration, null, authorization, cancellationToken);

    /// <summary>Validates a refresh proof: no <c>jwk</c>, signed by the key the session registered, answering a refresh challenge of the session.</summary>
    /// <param name="proof">The JWS from <c>Secure-Session-Response</c>, or <see langword="null"/>.</param>
    /// <param name="sessionId">The session of the refresh request (from its long-lived cookie).</param>
    /// <param name="binding">The key the session is bound to (<see cref="Session.KeyBinding"/>).</param>
    /// <param name="cancellationToken">Cancels the store call.</param>
    /// <returns>The key and challenge, or the check that failed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="binding"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="sessionId"/> is the default value.</exception>
    /// <exception cref="ObjectDisposedException">The challenge service is disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public ValueTask<DbscProofResult> ValidateRefreshAsync(string? proof, SessionId sessionId, SessionKeyBinding binding, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(binding);
        return ValidateAsync(proof, sessionId, DbscChallengePurpose.Refresh, binding, null, cancellationToken);
    }

    private static DbscProofStatus Map(ProofJwsStatus status) => status switch
    {
        ProofJwsStatus.TooLarge => DbscProofStatus.TooLarge,
        ProofJwsStatus.WrongType => DbscProofStatus.WrongType,
        ProofJwsStatus.UnsupportedAlgorithm => DbscProofStatus.UnsupportedAlgorithm,
        ProofJwsStatus.ForbiddenHeader => DbscProofStatus.ForbiddenHeader,
        ProofJwsStatus.MissingKey => DbscProofStatus.MissingKey,
        ProofJwsStatus.UnexpectedKey => DbscProofStatus.UnexpectedKey,
        ProofJwsStatus.InvalidKey => DbscProofStatus.InvalidKey,
        ProofJwsStatus.PrivateKey => DbscProofStatus.PrivateKey,
        ProofJwsStatus.AlgorithmMismatch => DbscProofStatus.AlgorithmMismatch,
        ProofJwsStatus.InvalidSignature => DbscProofStatus.InvalidSignature,
        _ => DbscProofStatus.Malformed,
    };

    private static DbscProofStatus Map(DbscChallengeStatus status) => status switch
    {
        DbscChallengeStatus.Missing => DbscProofStatus.MissingChallenge,
        DbscChallengeStatus.Malformed => DbscProofStatus.ChallengeMalformed,
        DbscChallengeStatus.Forged => DbscProofStatus.ChallengeForged,
        DbscChallengeStatus.Expired => DbscProofStatus.ChallengeExpired,
        DbscChallengeStatus.FromTheFuture => DbscProofStatus.ChallengeFromTheFuture,
        DbscChallengeStatus.Replayed => DbscProofStatus.ChallengeReplayed,
        _ => DbscProofStatus.StoreUnavailable,
    };

    private static bool AuthorizationMatches(ReadOnlySpan<byte> claimed, string expected)
    {
        if (claimed.Length != expected.Length)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[MaxAuthorizationLength];
        int written = Encoding.UTF8.GetBytes(expected, bytes);
        return CryptographicOperations.FixedTimeEquals(bytes[..written], claimed);
    }

    private async ValueTask<DbscProofResult> ValidateAsync(
        string? text, SessionId sessionId, DbscChallengePurpose purpose, SessionKeyBinding? binding, string? authorization, CancellationToken cancellationToken)
    {
        if (sessionId.IsEmpty)
        {
            throw new ArgumentException(Error.SessionIdEmpty, nameof(sessionId));
        }

        DbscProofStatus status;
        DbscProof? accepted = null;
        DbscChallengeUse? use = null;
        try
        {
            status = Check(text, sessionId, purpose, binding, authorization, out accepted, out use);
        }
        catch (ObjectDisposedException)
        {
            throw;
        }
#pragma warning disable CA1031 // Fail closed: an unexpected failure on untrusted input is a refusal, never an exception.
        catch (Exception)
#pragma warning restore CA1031
        {
            return DbscProofResult.Failure(DbscProofStatus.Malformed);
        }

        if (status != DbscProofStatus.Valid)
        {
            return DbscProofResult.Failure(status);
        }

        bool first;
        try
        {
            SingleUseKey key = SingleUseKey.FromPrefix(s_singleUsePrefix, Encoding.ASCII.GetBytes(use!.Value));
            first = await _store.TryUseOnceAsync(key, use.ExpiresAt, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return DbscProofResult.Failure(DbscProofStatus.StoreUnavailable);
        }

        return first ? DbscProofResult.Valid(accepted!) : DbscProofResult.Failure(DbscProofStatus.ChallengeReplayed);
    }

    private DbscProofStatus Check(
        string? text, SessionId sessionId, DbscChallengePurpose purpose, SessionKeyBinding? binding, string? authorization, out DbscProof? proof, out DbscChallengeUse? use)
    {
        proof = null;
        use = null;
        if (string.IsNullOrEmpty(text))
        {
            return DbscProofStatus.Missing;
        }

        if (text.Length > MaxProofLength)
        {
            return DbscProofStatus.TooLarge;
        }

        int bufferSize = text.Length + ProofJws.GetBufferSize(text.Length);
        byte[]? rented = null;
        Span<byte> buffer = bufferSize <= StackLimit ? stackalloc byte[bufferSize] : (rented = ArrayPool<byte>.Shared.Rent(bufferSize));
        try
        {
            // Every legal character is ASCII; anything else becomes '?', which the base64url check refuses.
            Span<byte> token = buffer[..text.Length];
            Encoding.ASCII.GetBytes(text, token);

            // A refresh header never holds a key, so the header cache (which remembers embedded keys) is not consulted.
            ProofJwsStatus read = ProofJws.TryParse(token, s_policy, buffer[text.Length..], binding is null ? _keys : null, out ProofJws jws);
            SigningKey? key = null;
            bool unusable = false;
            if (read == ProofJwsStatus.Valid)
            {
                read = binding is null ? jws.TryGetEmbeddedKey(out key) : RegisteredKey(jws, binding, out key, out unusable);
            }

            if (unusable)
            {
                return DbscProofStatus.RegisteredKeyUnusable;
            }

            if (read == ProofJwsStatus.Valid)
            {
                read = jws.Verify(key!);
            }

            if (read != ProofJwsStatus.Valid)
            {
                return Map(read);
            }

            DbscProofStatus claims = CheckClaims(jws.Payload, sessionId, purpose, authorization, out use);
            if (claims == DbscProofStatus.Valid)
            {
                proof = new DbscProof(key!.KeyId, binding?.PublicKeyJwk ?? key.ExportPublicJwk(), jws.Algorithm.Name, use!.IssuedAt);
            }

            return claims;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private ProofJwsStatus RegisteredKey(ProofJws jws, SessionKeyBinding binding, out SigningKey? key, out bool unusable)
    {
        key = null;
        unusable = false;
        if (jws.HasJwk)
        {
            return ProofJwsStatus.UnexpectedKey;
        }

        Span<byte> thumbprint = stackalloc byte[SHA256.HashSizeInBytes];
        if (binding.Thumbprint is not { Length: 43 } || !Base64UrlStrict.TryDecode(binding.Thumbprint, thumbprint, out int written) || written != thumbprint.Length)
        {
            unusable = true;
            return ProofJwsStatus.InvalidKey;
        }

        key = _keys.Find(thumbprint, jws.Algorithm.Signing);
        if (key is null)
        {
            if (!SigningKey.TryImportJwk(binding.PublicKeyJwk, SigningKeyExportPolicies.None, out SigningKey? imported)
                || imported.HasPrivateKey
                || !string.Equals(imported.KeyId, binding.Thumbprint, StringComparison.Ordinal))
            {
                unusable = true;
                return ProofJwsStatus.InvalidKey;
            }

            key = imported;
            if (ReferenceEquals(key.Algorithm, jws.Algorithm.Signing))
            {
                _keys.Add(thumbprint, key);
            }
        }

        return jws.CheckRegisteredKey(key);
    }

    private DbscProofStatus CheckClaims(ReadOnlySpan<byte> payload, SessionId sessionId, DbscChallengePurpose purpose, string? authorization, out DbscChallengeUse? use)
    {
        use = null;
        ReadOnlySpan<byte> challenge = default;
        ReadOnlySpan<byte> claimedAuthorization = default;
        bool hasChallenge = false, hasAuthorization = false;
        Utf8JsonReader reader = new(payload, StrictJson.ReaderOptions);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("jti"u8))
            {
                reader.Read();
                if (!TryReadAscii(ref reader, MaxChallengeLength, out int start, out int length))
                {
                    return DbscProofStatus.Malformed;
                }

                challenge = payload.Slice(start, length);
                hasChallenge = true;
            }
            else if (reader.ValueTextEquals("authorization"u8))
            {
                reader.Read();
                if (!TryReadAscii(ref reader, MaxAuthorizationLength, out int start, out int length))
                {
                    return DbscProofStatus.Malformed;
                }

                claimedAuthorization = payload.Slice(start, length);
                hasAuthorization = true;
            }
            else
            {
                // aud, iat, key, sub of older drafts and anything unknown: tolerated, never required, never trusted.
                reader.Read();
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    reader.Skip();
                }
            }
        }

        if (!hasChallenge || challenge.IsEmpty)
        {
            return DbscProofStatus.MissingChallenge;
        }

        DbscChallengeResult verified = _challenges.Verify(Encoding.ASCII.GetString(challenge), sessionId, purpose);
        if (!verified.TryGetValue(out use))
        {
            return Map(verified.Status);
        }

        if (authorization is not null && (!hasAuthorization || !AuthorizationMatches(claimedAuthorization, authorization)))
        {
            use = null;
            return DbscProofStatus.AuthorizationMismatch;
        }

        return DbscProofStatus.Valid;
    }

    /// <summary>Reads a string claim without escapes (challenges and authorization values are printable ASCII); anything else is refused.</summary>
    private static bool TryReadAscii(ref Utf8JsonReader reader, int maxLength, out int start, out int length)
    {
        start = 0;
        length = 0;
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || reader.HasValueSequence || reader.ValueSpan.Length > maxLength)
        {
            return false;
        }

        foreach (byte b in reader.ValueSpan)
        {
            if (b is < 0x20 or > 0x7E)
            {
                return false;
            }
        }

        // An unescaped string's value starts one byte (the quote) after the token.
        start = checked((int)reader.TokenStartIndex + 1);
        length = reader.ValueSpan.Length;
        return true;
    }
}
