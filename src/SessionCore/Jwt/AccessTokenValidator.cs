using System;
using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Diagnostics;
using SessionCore.Internal;
using SessionCore.Keys;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tokens;

namespace SessionCore.Jwt;

/// <summary>
/// Validates access tokens: strict compact-JWS parsing, the key found by <c>kid</c> decides the
/// algorithm, signature, times, issuer and audience, and in online mode the session and security epoch
/// through the store. Create one with <see cref="AccessTokenBuilder"/> or <c>AddAccessTokens</c>.
/// </summary>
/// <remarks>
/// <para>
/// Security: untrusted input never throws; every refusal is a typed result. Refused outright: other
/// algorithms (HS*, RS*, none), <c>crit</c>, <c>jku</c>, <c>x5u</c>, <c>jwk</c>, <c>x5c</c>, <c>b64</c>,
/// <c>zip</c>, duplicate JSON members at any depth, padding or non-canonical base64url, DER ECDSA
/// signatures, non-integer dates and oversize tokens. Online mode fails closed when the store fails.
/// </para>
/// </remarks>
/// <threadsafety>Safe to share between threads; register it as a singleton.</threadsafety>
public sealed class AccessTokenValidator
{
    private const int StackBufferSize = 1024;
    private const int MaxKeyIdLength = 64;
    private const long MaxUnixSeconds = 253402300799; // 9999-12-31T23:59:59Z

    private readonly SigningKeyRing _ring;
    private readonly AccessTokenSettings _settings;
    private readonly TimeProvider _time;
    private readonly ISessionStore? _store;
    private readonly SignatureCache? _cache;

    internal AccessTokenValidator(SigningKeyRing ring, AccessTokenSettings settings, TimeProvider time, ISessionStore? store)
    {
        _ring = ring;
        _settings = settings;
        _time = time;
        _store = store;
        _cache = settings.SignatureCacheSize > 0 ? new SignatureCache(settings.SignatureCacheSize, ring) : null;
    }

    /// <summary>Gets the key ring that supplies verification keys.</summary>
    public SigningKeyRing KeyRing => _ring;

    /// <summary>Gets the mode <see cref="ValidateAsync"/> works in.</summary>
    public AccessTokenValidationMode Mode => _settings.ValidationMode;

    internal int CachedSignatureCount => _cache?.Count ?? 0;

    /// <summary>Validates a token completely: signature and claims, and in <see cref="AccessTokenValidationMode.Online"/> mode the session and security epoch.</summary>
    /// <param name="token">The presented token (for example from an <c>Authorization: Bearer</c> header); <see langword="null"/> and junk yield a failure.</param>
    /// <param name="cancellationToken">Cancels the store lookups.</param>
    /// <returns>The claims, or why the token was refused.</returns>
    public async ValueTask<AccessTokenValidationResult> ValidateAsync(string? token, CancellationToken cancellationToken = default)
    {
        AccessTokenValidationResult result = await ValidateCoreAsync(token, cancellationToken).ConfigureAwait(false);
        SessionCoreTelemetry.CountOutcome(SessionCoreTelemetry.AccessTokensValidated, result.Status);
        return result;
    }

    private async ValueTask<AccessTokenValidationResult> ValidateCoreAsync(string? token, CancellationToken cancellationToken)
    {
        AccessTokenValidationResult result = ValidateOffline(token.AsSpan());
        if (!result.IsSuccess || _settings.ValidationMode == AccessTokenValidationMode.Offline)
        {
            return result;
        }

        AccessTokenClaims claims = result.Value;
        if (claims.SessionId.IsEmpty || claims.SecurityEpoch is not long epoch)
        {
            return AccessTokenValidationResult.Failure(AccessTokenValidationStatus.MissingClaim);
        }

        Session? session;
        long? userEpoch = null;
        try
        {
            session = await _store!.FindAsync(claims.SessionId, cancellationToken).ConfigureAwait(false);
            if (session is not null && _settings.CheckUserSecurityEpoch && session.IsLiveAt(_time.GetUtcNow()))
            {
                userEpoch = await _store.GetSecurityEpochAsync(session.UserId, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return AccessTokenValidationResult.Failure(AccessTokenValidationStatus.StoreUnavailable);
        }

        AccessTokenValidationStatus status = ClassifySession(session, claims, epoch, userEpoch, _time.GetUtcNow());
        return status == AccessTokenValidationStatus.Valid ? result : AccessTokenValidationResult.Failure(status);
    }

    /// <summary>Validates signature and claims only, without the store, whatever <see cref="Mode"/> says.</summary>
    /// <param name="token">The presented token.</param>
    /// <returns>The claims, or why the token was refused.</returns>
    /// <remarks>Security: this does not see revocation; in online deployments use <see cref="ValidateAsync"/>.</remarks>
    public AccessTokenValidationResult ValidateOffline(ReadOnlySpan<char> token)
    {
        if (token.IsEmpty)
        {
            return AccessTokenValidationResult.Failure(AccessTokenValidationStatus.Malformed);
        }

        if (token.Length > _settings.MaxTokenLength)
        {
            return AccessTokenValidationResult.Failure(AccessTokenValidationStatus.TooLarge);
        }

        byte[]? rented = null;
        Span<byte> utf8 = token.Length <= StackBufferSize ? stackalloc byte[token.Length] : (rented = ArrayPool<byte>.Shared.Rent(token.Length));
        try
        {
            // Every legal character is ASCII; anything else becomes '?', which the base64url check refuses.
            int length = Encoding.ASCII.GetBytes(token, utf8);
            return ValidateOffline(utf8[..length]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Validates signature and claims only, for a token held as UTF-8 bytes.</summary>
    /// <param name="utf8Token">The presented token.</param>
    /// <returns>The claims, or why the token was refused.</returns>
    /// <remarks>Security: this does not see revocation; in online deployments use <see cref="ValidateAsync"/>.</remarks>
    public AccessTokenValidationResult ValidateOffline(ReadOnlySpan<byte> utf8Token)
    {
        AccessTokenValidationStatus status;
        AccessTokenClaims? claims;
        try
        {
            status = ValidateCore(utf8Token, out claims);
        }
#pragma warning disable CA1031 // Fail closed: an unexpected failure on untrusted input is a refusal, never an exception.
        catch (Exception)
#pragma warning restore CA1031
        {
            return AccessTokenValidationResult.Failure(AccessTokenValidationStatus.Malformed);
        }

        return status == AccessTokenValidationStatus.Valid ? AccessTokenValidationResult.Success(claims!) : AccessTokenValidationResult.Failure(status);
    }

    private static AccessTokenValidationStatus ReadHeader(ReadOnlySpan<byte> header, Span<byte> keyId, out int keyIdLength, out SigningAlgorithm? algorithm)
    {
        keyIdLength = -1;
        algorithm = null;
        if (!StrictJson.IsObjectWithUniqueMembers(header))
        {
            return AccessTokenValidationStatus.Malformed;
        }

        bool algorithmSeen = false, typeValid = false, forbidden = false;
        Span<byte> scratch = stackalloc byte[32];
        Utf8JsonReader reader = new(header, StrictJson.ReaderOptions);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("alg"u8))
            {
                reader.Read();
                algorithmSeen = true;
                if (reader.TokenType == JsonTokenType.String && TryCopy(ref reader, scratch, out int length))
                {
                    SigningAlgorithm.TryFromName(scratch[..length], out algorithm);
                }
            }
            else if (reader.ValueTextEquals("typ"u8))
            {
                reader.Read();
                typeValid = reader.TokenType == JsonTokenType.String && TryCopy(ref reader, scratch, out int length)
                    && (Ascii.EqualsIgnoreCase(scratch[..length], "at+jwt"u8) || Ascii.EqualsIgnoreCase(scratch[..length], "application/at+jwt"u8));
            }
            else if (reader.ValueTextEquals("kid"u8))
            {
                reader.Read();
                keyIdLength = reader.TokenType == JsonTokenType.String && TryCopy(ref reader, keyId, out int length) ? length : int.MaxValue;
            }
            else
            {
                forbidden |= reader.ValueTextEquals("crit"u8) || reader.ValueTextEquals("jku"u8) || reader.ValueTextEquals("x5u"u8)
                    || reader.ValueTextEquals("jwk"u8) || reader.ValueTextEquals("x5c"u8) || reader.ValueTextEquals("b64"u8)
                    || reader.ValueTextEquals("zip"u8);
                reader.Skip();
            }

            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                reader.Skip();
            }
        }

        if (forbidden)
        {
            return AccessTokenValidationStatus.ForbiddenHeader;
        }

        if (!algorithmSeen || algorithm is null)
        {
            return AccessTokenValidationStatus.UnsupportedAlgorithm;
        }

        if (!typeValid)
        {
            return AccessTokenValidationStatus.WrongType;
        }

        return keyIdLength < 0 ? AccessTokenValidationStatus.MissingKeyId
            : keyIdLength == int.MaxValue ? AccessTokenValidationStatus.UnknownKey
            : AccessTokenValidationStatus.Valid;
    }

    private static bool TryCopy(scoped ref Utf8JsonReader reader, scoped Span<byte> destination, out int length)
    {
        length = 0;
        if (reader.ValueSpan.Length > destination.Length * 6)
        {
            return false;
        }

        try
        {
            length = reader.CopyString(destination);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static bool TryReadDate(ref Utf8JsonReader reader, out DateTimeOffset value)
    {
        value = default;
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out long seconds) || seconds < 0 || seconds > MaxUnixSeconds)
        {
            return false;
        }

        value = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return true;
    }

    private static AccessTokenValidationStatus ClassifySession(Session? session, AccessTokenClaims claims, long epoch, long? userEpoch, DateTimeOffset now)
    {
        if (session is null || session.Id != claims.SessionId)
        {
            return AccessTokenValidationStatus.SessionNotFound;
        }

        if (session.IsRevoked)
        {
            return AccessTokenValidationStatus.SessionRevoked;
        }

        if (!session.IsLiveAt(now))
        {
            return AccessTokenValidationStatus.SessionExpired;
        }

        if (!string.Equals(session.UserId, claims.Subject, StringComparison.Ordinal) || session.SecurityEpoch != epoch || (userEpoch is long current && current != epoch))
        {
            return AccessTokenValidationStatus.EpochMismatch;
        }

        return AccessTokenValidationStatus.Valid;
    }

    private AccessTokenValidationStatus ValidateCore(ReadOnlySpan<byte> token, out AccessTokenClaims? claims)
    {
        claims = null;
        if (token.IsEmpty)
        {
            return AccessTokenValidationStatus.Malformed;
        }

        if (token.Length > _settings.MaxTokenLength)
        {
            return AccessTokenValidationStatus.TooLarge;
        }

        int dot1 = token.IndexOf((byte)'.');
        int dot2 = dot1 < 0 ? -1 : token[(dot1 + 1)..].IndexOf((byte)'.');
        if (dot2 < 0)
        {
            return AccessTokenValidationStatus.Malformed;
        }

        dot2 += dot1 + 1;
        if (token[(dot2 + 1)..].Contains((byte)'.'))
        {
            return AccessTokenValidationStatus.Malformed;
        }

        ReadOnlySpan<byte> headerText = token[..dot1];
        ReadOnlySpan<byte> payloadText = token[(dot1 + 1)..dot2];
        ReadOnlySpan<byte> signatureText = token[(dot2 + 1)..];
        int headerLength = Base64UrlStrict.GetDecodedLength(headerText.Length);
        int payloadLength = Base64UrlStrict.GetDecodedLength(payloadText.Length);
        int signatureLength = Base64UrlStrict.GetDecodedLength(signatureText.Length);
        if (headerLength <= 0 || payloadLength <= 0 || signatureLength <= 0)
        {
            return AccessTokenValidationStatus.Malformed;
        }

        int total = headerLength + payloadLength + signatureLength;
        byte[]? rented = null;
        Span<byte> buffer = total <= StackBufferSize ? stackalloc byte[total] : (rented = ArrayPool<byte>.Shared.Rent(total));
        try
        {
            Span<byte> header = buffer[..headerLength];
            Span<byte> payload = buffer.Slice(headerLength, payloadLength);
            Span<byte> signature = buffer.Slice(headerLength + payloadLength, signatureLength);
            if (!Base64UrlStrict.TryDecode(payloadText, payload, out _) || !Base64UrlStrict.TryDecode(signatureText, signature, out _))
            {
                return AccessTokenValidationStatus.Malformed;
            }

            AccessTokenValidationStatus status;
            if (!_ring.TryGetKeyByEncodedHeader(headerText, out SigningKey? key))
            {
                if (!Base64UrlStrict.TryDecode(headerText, header, out _))
                {
                    return AccessTokenValidationStatus.Malformed;
                }

                // Not byte for byte a header we write: parse it strictly.
                Span<byte> keyId = stackalloc byte[MaxKeyIdLength];
                status = ReadHeader(header, keyId, out int keyIdLength, out SigningAlgorithm? algorithm);
                if (status != AccessTokenValidationStatus.Valid)
                {
                    return status;
                }

                if (!_ring.TryGetKey(keyId[..keyIdLength], out key))
                {
                    return AccessTokenValidationStatus.UnknownKey;
                }

                // The key decides the algorithm; the header may only agree with it.
                if (!ReferenceEquals(key.Algorithm, algorithm))
                {
                    return AccessTokenValidationStatus.AlgorithmMismatch;
                }
            }

            // A key disposed while still in the ring verifies nothing, and its cached verdicts go with it.
            if (key.IsDisposed || signature.Length != key.SignatureSize)
            {
                return AccessTokenValidationStatus.InvalidSignature;
            }

            TokenHash hash = default;
            bool cached = false;
            if (_cache is not null)
            {
                Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
                SHA256.HashData(token, digest);
                hash = TokenHash.From(digest);
                cached = _cache.Contains(hash, key);
            }

            if (!cached && !Verify(key, token[..dot2], signature))
            {
                return AccessTokenValidationStatus.InvalidSignature;
            }

            status = ReadClaims(payload, key, structureChecked: cached, out claims);
            if (status == AccessTokenValidationStatus.Valid && _cache is not null && !cached)
            {
                _cache.Add(hash, key);
            }

            return status;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static bool Verify(SigningKey key, ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> signature)
    {
        try
        {
            return key.Algorithm.Verify(key, signingInput, signature);
        }
        catch (ObjectDisposedException)
        {
            // A key disposed while still in the ring verifies nothing (fail closed).
            return false;
        }
    }

    // structureChecked: the token is byte for byte one that passed this method before (the signature cache is keyed
    // by the SHA-256 of the whole token and only holds tokens that validated), so the strict JSON pass, which depends
    // on the payload bytes alone, would give the same answer again. The claims themselves are read and checked anew.
    private AccessTokenValidationStatus ReadClaims(ReadOnlySpan<byte> payload, SigningKey key, bool structureChecked, out AccessTokenClaims? claims)
    {
        claims = null;
        if (!structureChecked && !StrictJson.IsObjectWithUniqueMembers(payload))
        {
            return AccessTokenValidationStatus.Malformed;
        }

        AccessTokenClaims result = new(payload.ToArray(), key);
        bool hasIssuer = false, issuerValid = false, hasAudience = false, audienceValid = false;
        bool hasExpiry = false, hasIssuedAt = false, hasSubject = false, hasTokenId = false;
        Utf8JsonReader reader = new(payload, StrictJson.ReaderOptions);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("iss"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    return AccessTokenValidationStatus.Malformed;
                }

                hasIssuer = true;
                issuerValid = reader.ValueTextEquals(_settings.IssuerUtf8);
            }
            else if (reader.ValueTextEquals("aud"u8))
            {
                reader.Read();
                hasAudience = true;
                if (reader.TokenType == JsonTokenType.String)
                {
                    audienceValid = reader.ValueTextEquals(_settings.AudienceUtf8);
                }
                else if (reader.TokenType == JsonTokenType.StartArray)
                {
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (reader.TokenType != JsonTokenType.String)
                        {
                            return AccessTokenValidationStatus.Malformed;
                        }

                        audienceValid |= reader.ValueTextEquals(_settings.AudienceUtf8);
                    }
                }
                else
                {
                    return AccessTokenValidationStatus.Malformed;
                }
            }
            else if (reader.ValueTextEquals("sub"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    return AccessTokenValidationStatus.Malformed;
                }

                hasSubject = true;
                result.Subject = reader.GetString()!;
            }
            else if (reader.ValueTextEquals("jti"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    return AccessTokenValidationStatus.Malformed;
                }

                hasTokenId = true;
                result.TokenId = reader.GetString()!;
            }
            else if (reader.ValueTextEquals("exp"u8))
            {
                reader.Read();
                if (!TryReadDate(ref reader, out DateTimeOffset value))
                {
                    return AccessTokenValidationStatus.Malformed;
                }

                hasExpiry = true;
                result.ExpiresAt = value;
            }
            else if (reader.ValueTextEquals("iat"u8))
            {
                reader.Read();
                if (!TryReadDate(ref reader, out DateTimeOffset value))
                {
                    return AccessTokenValidationStatus.Malformed;
                }

                hasIssuedAt = true;
                result.IssuedAt = value;
            }
            else if (reader.ValueTextEquals("nbf"u8))
            {
                reader.Read();
                if (!TryReadDate(ref reader, out DateTimeOffset value))
                {
                    return AccessTokenValidationStatus.Malformed;
                }

                result.NotBefore = value;
            }
            else if (reader.ValueTextEquals("sid"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String || !SessionId.TryParse(reader.GetString(), out SessionId sid))
                {
                    return AccessTokenValidationStatus.Malformed;
                }

                result.SessionId = sid;
            }
            else if (reader.ValueTextEquals("sc_epoch"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out long epoch) || epoch < 0)
                {
                    return AccessTokenValidationStatus.Malformed;
                }

                result.SecurityEpoch = epoch;
            }
            else
            {
                reader.Skip();
            }
        }

        if (!hasIssuer || !hasAudience || !hasExpiry || !hasIssuedAt || !hasSubject || !hasTokenId)
        {
            return AccessTokenValidationStatus.MissingClaim;
        }

        if (!issuerValid)
        {
            return AccessTokenValidationStatus.InvalidIssuer;
        }

        if (!audienceValid)
        {
            return AccessTokenValidationStatus.InvalidAudience;
        }

        DateTimeOffset now = _time.GetUtcNow();
        TimeSpan skew = _settings.ClockSkew;
        if (now >= result.ExpiresAt + skew)
        {
            return AccessTokenValidationStatus.Expired;
        }

        if (result.NotBefore is DateTimeOffset notBefore && notBefore > now + skew)
        {
            return AccessTokenValidationStatus.NotYetValid;
        }

        if (result.IssuedAt > now + skew || result.ExpiresAt <= result.IssuedAt || result.ExpiresAt - result.IssuedAt > AccessTokenOptions.MaxLifetime)
        {
            return AccessTokenValidationStatus.InvalidLifetime;
        }

        result.Issuer = _settings.Issuer;
        result.Audience = _settings.Audience;
        claims = result;
        return AccessTokenValidationStatus.Valid;
    }
}
