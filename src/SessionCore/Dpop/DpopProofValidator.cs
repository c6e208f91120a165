using System;
using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Diagnostics;
using SessionCore.Internal;
using SessionCore.Keys;
using SessionCore.Stores;

namespace SessionCore.Dpop;

/// <summary>
/// Validates DPoP proofs (RFC 9449): every check of §4.3, server nonces (§8, §9) and single use of each proof id
/// across every node that shares the store (§11.1). Create one with <see cref="DpopProofValidatorBuilder"/>.
/// </summary>
/// <remarks>
/// <para>
/// Security: in order, a proof is refused when it is longer than the bound (before any parsing), not one compact JWS
/// of canonical base64url and strict JSON, not typed <c>dpop+jwt</c>, signed with an algorithm outside the allow-list
/// or one that does not fit its key, carries <c>crit</c>/<c>jku</c>/<c>x5u</c>/<c>x5c</c>/<c>b64</c>/<c>zip</c>, has
/// no public <c>jwk</c> or one with a private member, or its signature does not verify with that key. Only then are
/// the claims read: <c>jti</c>, <c>htm</c>, <c>htu</c> and <c>iat</c> present; <c>htm</c> equal to the method;
/// <c>htu</c> equal to the target URI after RFC 3986 normalisation; <c>iat</c> inside the window; <c>ath</c> the hash
/// of the presented token; the key's thumbprint the expected one; the nonce current. Last, the proof id is recorded
/// once in the store: a second presentation is <see cref="DpopProofStatus.Replayed"/>, and a store failure refuses.
/// </para>
/// <para>Untrusted input never throws; every refusal is a typed result naming the failed check.</para>
/// </remarks>
/// <threadsafety>Safe to share between threads; register it as a singleton.</threadsafety>
public sealed class DpopProofValidator : IDisposable
{
    private const int StackLimit = 2048;
    private const int MaxTokenIdLength = 256;
    private const int MaxMethodLength = 32;
    private const int MaxNonceLength = 256;
    private const int TokenHashLength = 43;
    private const long MaxUnixSeconds = 253402300799; // 9999-12-31T23:59:59Z

    private readonly DpopSettings _settings;
    private readonly ISessionStore _store;
    private readonly TimeProvider _time;
    private readonly ProofKeyCache? _keys;
    private readonly DpopNonces _nonces;
    private readonly byte[] _replayPrefix;

    internal DpopProofValidator(DpopSettings settings, ISessionStore store, TimeProvider time)
    {
        _settings = settings;
        _store = store;
        _time = time;
        _keys = settings.KeyCacheSize > 0 ? new ProofKeyCache(settings.KeyCacheSize) : null;
        byte[] nonceKey = settings.NonceKey ?? DpopSettings.NewProcessNonceKey();
        try
        {
            _nonces = new DpopNonces(nonceKey, settings.ReplayScope, settings.NonceLifetime, settings.FutureSkew);
        }
        finally
        {
            if (settings.NonceKey is null)
            {
                CryptographicOperations.ZeroMemory(nonceKey);
            }
        }

        _replayPrefix = SingleUseKey.CreatePrefix(DpopSettings.ReplayPurpose, settings.ReplayScope);
    }

    /// <summary>Gets the algorithms proofs may be signed with (advertise them with <see cref="DpopChallenge"/>).</summary>
    public DpopSigningAlgorithms AllowedAlgorithms => _settings.AllowedAlgorithms;

    /// <summary>Gets a value indicating whether every proof must carry a current nonce.</summary>
    public bool RequiresNonce => _settings.RequireNonce;

    /// <summary>Gets a value indicating whether protected resources accept bound tokens only (<see cref="DpopOptions.RequireBoundTokens"/>).</summary>
    public bool RequiresBoundTokens => _settings.RequireBoundTokens;

    /// <summary>Validates a proof for a request, and records its id so that it is accepted only once.</summary>
    /// <param name="request">The proof and the request it came with.</param>
    /// <param name="cancellationToken">Cancels the store call.</param>
    /// <returns>The proof, or the check that failed; with the next nonce when nonces are required.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/>, its method or its target URI is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The method is not an HTTP token, or the target URI is empty.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async ValueTask<DpopProofValidationResult> ValidateAsync(DpopProofRequest request, CancellationToken cancellationToken = default)
    {
        Throw.IfNull(request);
        CheckRequest(request);
        DpopProofValidationResult result = await ValidateCoreAsync(request, cancellationToken).ConfigureAwait(false);
        SessionCoreTelemetry.ProofValidated(result.Status);
        return result;
    }

    /// <summary>Returns the nonce to hand out now, for example in a <c>DPoP-Nonce</c> header on a response that validated no proof.</summary>
    /// <returns>The current nonce (34 characters).</returns>
    public string CreateNonce() => _nonces.Create(_time.GetUtcNow());

    /// <summary>Releases the nonce key.</summary>
    public void Dispose() => _nonces.Dispose();

    private async ValueTask<DpopProofValidationResult> ValidateCoreAsync(DpopProofRequest request, CancellationToken cancellationToken)
    {
        DateTimeOffset now = _time.GetUtcNow();
        string? nextNonce = _settings.RequireNonce ? _nonces.Create(now) : null;
        DpopProofStatus status;
        DpopProof? proof;
        SingleUseKey replayKey;
        DateTimeOffset rememberUntil;
        try
        {
            status = Check(request, now, out proof, out replayKey, out rememberUntil);
        }
#pragma warning disable CA1031 // Fail closed: an unexpected failure on untrusted input is a refusal, never an exception.
        catch (Exception)
#pragma warning restore CA1031
        {
            return DpopProofValidationResult.Failure(DpopProofStatus.Malformed, nextNonce);
        }

        if (status != DpopProofStatus.Valid)
        {
            return DpopProofValidationResult.Failure(status, nextNonce);
        }

        bool firstUse;
        try
        {
            firstUse = await _store.TryUseOnceAsync(replayKey, rememberUntil, now, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            SessionCoreTelemetry.StoreFailures.Add(1);
            return DpopProofValidationResult.Failure(DpopProofStatus.StoreUnavailable, nextNonce);
        }

        return firstUse
            ? DpopProofValidationResult.Success(proof!, nextNonce)
            : DpopProofValidationResult.Failure(DpopProofStatus.Replayed, nextNonce);
    }

    /// <summary>base64url(SHA-256(ASCII(token))) (RFC 9449 §4.2 <c>ath</c>), as UTF-8.</summary>
    internal static void ComputeTokenHash(string accessToken, Span<byte> destination)
    {
        int length = Encoding.UTF8.GetByteCount(accessToken);
        byte[]? rented = null;
        Span<byte> bytes = length <= StackLimit ? stackalloc byte[length] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            Encoding.UTF8.GetBytes(accessToken, bytes);
            Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(bytes[..length], digest);
            Base64UrlStrict.EncodeToUtf8(digest, destination);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes[..length]);
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static void CheckRequest(DpopProofRequest request)
    {
        Throw.IfNull(request.Method, "request.Method");
        Throw.IfNull(request.TargetUri, "request.TargetUri");
        if (request.Method.Length is 0 or > MaxMethodLength || !Http.HttpGrammar.IsToken(request.Method))
        {
            throw new ArgumentException(Error.DpopMethodInvalid, nameof(request));
        }

        if (request.TargetUri.Length == 0)
        {
            throw new ArgumentException(Error.DpopTargetUriMissing, nameof(request));
        }
    }

    private DpopProofStatus Check(DpopProofRequest request, DateTimeOffset now, out DpopProof? proof, out SingleUseKey replayKey, out DateTimeOffset rememberUntil)
    {
        proof = null;
        replayKey = default;
        rememberUntil = default;
        string? text = request.Proof;
        if (string.IsNullOrEmpty(text))
        {
            return DpopProofStatus.Missing;
        }

        if (text.Length > _settings.Policy.MaxLength)
        {
            return DpopProofStatus.TooLarge;
        }

        int bufferSize = text.Length + ProofJws.GetBufferSize(text.Length);
        byte[]? rented = null;
        Span<byte> buffer = bufferSize <= StackLimit ? stackalloc byte[bufferSize] : (rented = ArrayPool<byte>.Shared.Rent(bufferSize));
        try
        {
            // Every legal character is ASCII; anything else becomes '?', which the base64url check refuses.
            Span<byte> token = buffer[..text.Length];
            Encoding.ASCII.GetBytes(text, token);
            ProofJwsStatus read = ProofJws.TryParse(token, _settings.Policy, buffer[text.Length..], _keys, out ProofJws jws);
            if (read == ProofJwsStatus.Valid)
            {
                read = jws.TryGetEmbeddedKey(out SigningKey? key);
                if (read == ProofJwsStatus.Valid)
                {
                    read = jws.Verify(key!);
                    if (read == ProofJwsStatus.Valid)
                    {
                        return CheckClaims(jws.Payload, key!, jws.Algorithm, request, now, out proof, out replayKey, out rememberUntil);
                    }
                }
            }

            return Map(read);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private DpopProofStatus CheckClaims(
        ReadOnlySpan<byte> payload,
        SigningKey key,
        ProofAlgorithm algorithm,
        DpopProofRequest request,
        DateTimeOffset now,
        out DpopProof? proof,
        out SingleUseKey replayKey,
        out DateTimeOffset rememberUntil)
    {
        proof = null;
        replayKey = default;
        rememberUntil = default;
        DpopClaims claims = new(payload);
        if (!claims.IsWellFormed)
        {
            return DpopProofStatus.Malformed;
        }

        if (claims.TokenId.IsEmpty || claims.Method.IsEmpty || claims.Uri.IsEmpty || claims.IssuedAt is not long iat)
        {
            return DpopProofStatus.MissingClaim;
        }

        if (!Ascii.Equals(claims.Method, request.Method))
        {
            return DpopProofStatus.MethodMismatch;
        }

        if (!UriMatches(claims.Uri, request.TargetUri))
        {
            return DpopProofStatus.UriMismatch;
        }

        DateTimeOffset issuedAt = DateTimeOffset.FromUnixTimeSeconds(iat);
        if (issuedAt < now - _settings.MaxProofAge)
        {
            return DpopProofStatus.TooOld;
        }

        if (issuedAt > now + _settings.FutureSkew)
        {
            return DpopProofStatus.IssuedInFuture;
        }

        if (request.AccessToken is { } accessToken)
        {
            if (claims.TokenHash.IsEmpty)
            {
                return DpopProofStatus.MissingClaim;
            }

            Span<byte> expected = stackalloc byte[TokenHashLength];
            ComputeTokenHash(accessToken, expected);
            if (claims.TokenHash.Length != TokenHashLength || !CryptographicOperations.FixedTimeEquals(expected, claims.TokenHash))
            {
                return DpopProofStatus.AccessTokenHashMismatch;
            }
        }

        if (request.ExpectedKeyThumbprint is { } expectedThumbprint && !string.Equals(expectedThumbprint, key.KeyId, StringComparison.Ordinal))
        {
            return DpopProofStatus.KeyMismatch;
        }

        if (_settings.RequireNonce)
        {
            if (claims.Nonce.IsEmpty)
            {
                return DpopProofStatus.NonceRequired;
            }

            if (!_nonces.IsValid(claims.Nonce, now))
            {
                return DpopProofStatus.InvalidNonce;
            }
        }

        // Remembered for as long as any node may accept the proof: its window plus the skew allowed between clocks.
        replayKey = SingleUseKey.FromPrefix(_replayPrefix, claims.TokenId);
        rememberUntil = issuedAt + _settings.MaxProofAge + _settings.FutureSkew + TimeSpan.FromSeconds(1);
        proof = new DpopProof(key.KeyId, algorithm.Name, issuedAt);
        return DpopProofStatus.Valid;
    }

    private static bool UriMatches(ReadOnlySpan<byte> htu, string targetUri)
    {
        if (htu.Length > HttpUriNormalizer.MaxLength || targetUri.Length > HttpUriNormalizer.MaxLength)
        {
            return false;
        }

        Span<char> claimed = stackalloc char[htu.Length];
        for (int i = 0; i < htu.Length; i++)
        {
            if (htu[i] > 0x7F)
            {
                return false;
            }

            claimed[i] = (char)htu[i];
        }

        Span<char> left = stackalloc char[htu.Length + 1];
        Span<char> right = stackalloc char[targetUri.Length + 1];
        return HttpUriNormalizer.TryNormalize(claimed, left, out int leftLength)
            && HttpUriNormalizer.TryNormalize(targetUri, right, out int rightLength)
            && left[..leftLength].SequenceEqual(right[..rightLength]);
    }

    private static DpopProofStatus Map(ProofJwsStatus status) => status switch
    {
        ProofJwsStatus.TooLarge => DpopProofStatus.TooLarge,
        ProofJwsStatus.WrongType => DpopProofStatus.WrongType,
        ProofJwsStatus.UnsupportedAlgorithm => DpopProofStatus.UnsupportedAlgorithm,
        ProofJwsStatus.ForbiddenHeader => DpopProofStatus.ForbiddenHeader,
        ProofJwsStatus.MissingKey => DpopProofStatus.MissingKey,
        ProofJwsStatus.InvalidKey => DpopProofStatus.InvalidKey,
        ProofJwsStatus.PrivateKey => DpopProofStatus.PrivateKey,
        ProofJwsStatus.AlgorithmMismatch => DpopProofStatus.AlgorithmMismatch,
        ProofJwsStatus.InvalidSignature => DpopProofStatus.InvalidSignature,
        _ => DpopProofStatus.Malformed,
    };

    /// <summary>The claims of a proof's payload, read in one pass over JSON already checked strictly.</summary>
    private readonly ref struct DpopClaims
    {
        public DpopClaims(ReadOnlySpan<byte> payload)
        {
            IsWellFormed = true;
            System.Text.Json.Utf8JsonReader reader = new(payload, StrictJson.ReaderOptions);
            reader.Read();
            while (reader.Read() && reader.TokenType == System.Text.Json.JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("jti"u8))
                {
                    reader.Read();
                    TokenId = ReadString(ref reader, MaxTokenIdLength);
                    IsWellFormed &= !TokenId.IsEmpty;
                }
                else if (reader.ValueTextEquals("htm"u8))
                {
                    reader.Read();
                    Method = ReadString(ref reader, MaxMethodLength);
                    IsWellFormed &= !Method.IsEmpty;
                }
                else if (reader.ValueTextEquals("htu"u8))
                {
                    reader.Read();
                    Uri = ReadString(ref reader, HttpUriNormalizer.MaxLength);
                    IsWellFormed &= !Uri.IsEmpty;
                }
                else if (reader.ValueTextEquals("iat"u8))
                {
                    reader.Read();
                    if (reader.TokenType == System.Text.Json.JsonTokenType.Number && reader.TryGetInt64(out long seconds) && seconds >= 0 && seconds <= MaxUnixSeconds)
                    {
                        IssuedAt = seconds;
                    }
                    else
                    {
                        IsWellFormed = false;
                    }
                }
                else if (reader.ValueTextEquals("ath"u8))
                {
                    reader.Read();
                    TokenHash = ReadString(ref reader, TokenHashLength * 2);
                    IsWellFormed &= !TokenHash.IsEmpty;
                }
                else if (reader.ValueTextEquals("nonce"u8))
                {
                    reader.Read();
                    Nonce = ReadString(ref reader, MaxNonceLength);
                    IsWellFormed &= !Nonce.IsEmpty;
                }
                else
                {
                    reader.Read();
                }

                if (reader.TokenType is System.Text.Json.JsonTokenType.StartObject or System.Text.Json.JsonTokenType.StartArray)
                {
                    reader.Skip();
                }
            }
        }

        public bool IsWellFormed { get; }

        public ReadOnlySpan<byte> TokenId { get; }

        public ReadOnlySpan<byte> Method { get; }

        public ReadOnlySpan<byte> Uri { get; }

        public long? IssuedAt { get; }

        public ReadOnlySpan<byte> TokenHash { get; }

        public ReadOnlySpan<byte> Nonce { get; }

        // A claim of the wrong type, empty, or longer than its bound reads as empty, which the caller turns into Malformed.
        // Escaped strings are unescaped into a new array; the common, unescaped case points into the payload.
        private static ReadOnlySpan<byte> ReadString(scoped ref System.Text.Json.Utf8JsonReader reader, int maxLength)
        {
            if (reader.TokenType != System.Text.Json.JsonTokenType.String || reader.ValueSpan.Length == 0)
            {
                return default;
            }

            if (!reader.ValueIsEscaped)
            {
                return reader.ValueSpan.Length <= maxLength ? reader.ValueSpan : default;
            }

            byte[] unescaped = new byte[Math.Min(reader.ValueSpan.Length, maxLength)];
            return StrictJson.TryCopyString(ref reader, unescaped, out int length) && length > 0 ? unescaped.AsSpan(0, length) : default;
        }
    }
}
