using System;
using System.Buffers;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SessionCore.Diagnostics;
using SessionCore.Internal;
using SessionCore.Keys;
using SessionCore.Tokens;

namespace SessionCore.Jwt;

/// <summary>
/// Issues signed access tokens in the RFC 9068 profile: header <c>{"alg","typ":"at+jwt","kid"}</c> and
/// claims <c>iss, sub, aud, exp, iat, nbf, jti, client_id</c>, when known <c>scope, auth_time, acr, amr</c>,
/// for a session <c>sid, sc_epoch</c>, then permitted custom claims, signed by the ring's active key
/// (ES256, EdDSA, RS256 or PS256). Create one with <see cref="AccessTokenBuilder"/> or <c>AddAccessTokens</c>.
/// </summary>
/// <remarks>
/// Security: <c>alg</c> and <c>kid</c> come from the key; <c>jti</c> is 128 random bits from the
/// operating system CSPRNG; the lifetime is bounded to 5–60 minutes. Claim names that suggest secrets are
/// refused: a payload is readable by anyone holding the token.
/// </remarks>
/// <threadsafety>Safe to share between threads; register it as a singleton.</threadsafety>
public sealed class AccessTokenIssuer
{
    private const int MaxSubjectLength = 1024;
    private const int JtiBytes = 16;
    private const int ThumbprintLength = 43;

    [ThreadStatic]
    private static PayloadBuffer? t_buffer;

    private readonly SigningKeyRing _ring;
    private readonly AccessTokenSettings _settings;
    private readonly TimeProvider _time;
    private readonly TokenSource _tokens;

    internal AccessTokenIssuer(SigningKeyRing ring, AccessTokenSettings settings, TimeProvider time, TokenSource tokens)
    {
        _ring = ring;
        _settings = settings;
        _time = time;
        _tokens = tokens;
    }

    /// <summary>Gets the key ring whose active key signs.</summary>
    public SigningKeyRing KeyRing => _ring;

    /// <summary>Gets the lifetime of the tokens this issuer writes when a request names none (for <c>expires_in</c>).</summary>
    public TimeSpan Lifetime => _settings.Lifetime;

    /// <summary>Issues a token and returns its compact form.</summary>
    /// <param name="request">The subject, session and claims.</param>
    /// <returns>The compact JWS <c>header.payload.signature</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The subject is empty or too long, the client id, scope or authentication methods are malformed, a custom claim is reserved, looks secret or has an unsupported value, or the token would exceed <see cref="AccessTokenOptions.MaxTokenLength"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The requested lifetime is outside 5–60 minutes.</exception>
    /// <exception cref="InvalidOperationException">The ring has no active key.</exception>
    public string Issue(AccessTokenRequest request)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(_settings.MaxTokenLength);
        try
        {
            int written = WriteToken(request, buffer.AsSpan(0, _settings.MaxTokenLength), throwWhenTooSmall: true);
            SessionCoreTelemetry.AccessTokensIssued.Add(1);
            return Encoding.ASCII.GetString(buffer, 0, written);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Issues a token into a caller-supplied buffer (ASCII/UTF-8), without allocating the string.</summary>
    /// <param name="request">The subject, session and claims.</param>
    /// <param name="destination">Receives the compact JWS.</param>
    /// <param name="bytesWritten">The length of the token.</param>
    /// <returns><see langword="false"/> when <paramref name="destination"/> is too small (nothing is signed then).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">As for <see cref="Issue"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The requested lifetime is outside 5–60 minutes.</exception>
    /// <exception cref="InvalidOperationException">The ring has no active key.</exception>
    public bool TryIssue(AccessTokenRequest request, Span<byte> destination, out int bytesWritten)
    {
        bytesWritten = WriteToken(request, destination, throwWhenTooSmall: false);
        if (bytesWritten == 0)
        {
            return false;
        }

        SessionCoreTelemetry.AccessTokensIssued.Add(1);
        return true;
    }

    private static void WriteCustomClaim(Utf8JsonWriter writer, string name, object? value)
    {
        switch (value)
        {
            case string text:
                writer.WriteString(name, text);
                break;
            case bool flag:
                writer.WriteBoolean(name, flag);
                break;
            case int number:
                writer.WriteNumber(name, number);
                break;
            case long number:
                writer.WriteNumber(name, number);
                break;
            case double number when double.IsFinite(number):
                writer.WriteNumber(name, number);
                break;
            case JsonElement element when element.ValueKind != JsonValueKind.Undefined:
                writer.WritePropertyName(name);
                element.WriteTo(writer);
                break;
            case IEnumerable<string> texts:
                writer.WriteStartArray(name);
                foreach (string? text in texts)
                {
                    if (text is null)
                    {
                        throw new ArgumentException(Error.ClaimValueType, nameof(value));
                    }

                    writer.WriteStringValue(text);
                }

                writer.WriteEndArray();
                break;
            default:
                throw new ArgumentException(Error.ClaimValueType, nameof(value));
        }
    }

    /// <summary>A canonical base64url SHA-256 digest: 43 characters.</summary>
    internal static bool IsThumbprint(ReadOnlySpan<char> text) =>
        text.Length == ThumbprintLength && Base64UrlStrict.IsCanonical(text);

    private int WriteToken(AccessTokenRequest request, Span<byte> destination, bool throwWhenTooSmall)
    {
        Throw.IfNull(request);
        Throw.IfNullOrWhiteSpace(request.Subject, "request.Subject");
        if (request.Subject.Length > MaxSubjectLength)
        {
            throw new ArgumentException(Error.SubjectTooLong, nameof(request));
        }

        if (request.ClientId is not null && !OAuthSyntax.IsClientId(request.ClientId))
        {
            throw new ArgumentException(Error.ClientIdInvalid, nameof(request));
        }

        if (request.Scope is not null && !OAuthSyntax.IsScope(request.Scope))
        {
            throw new ArgumentException(Error.ScopeInvalid, nameof(request));
        }

        if (request.AuthenticationMethods is not null && !AccessTokenSettings.IsValidAuthenticationMethods(request.AuthenticationMethods))
        {
            throw new ArgumentException(Error.AuthenticationMethodsInvalid, nameof(request));
        }

        if (request.ConfirmationThumbprint is not null && !IsThumbprint(request.ConfirmationThumbprint))
        {
            throw new ArgumentException(Error.ConfirmationThumbprintInvalid, nameof(request));
        }

        string audience = request.Audience is null ? _settings.Audience : Throw.IfNullOrWhiteSpace(request.Audience, "request.Audience");
        TimeSpan lifetime = request.Lifetime is TimeSpan requested
            ? Throw.IfOutOfRange(requested, AccessTokenOptions.MinLifetime, AccessTokenOptions.MaxLifetime, "request.Lifetime")
            : _settings.Lifetime;
        SigningKey key = _ring.ActiveKey ?? Throw.InvalidOperation<SigningKey>(Error.NoActiveKey);

        PayloadBuffer buffer = t_buffer ??= new PayloadBuffer();
        ReadOnlySpan<byte> payload = WritePayload(buffer, request, audience, lifetime);

        ReadOnlySpan<byte> header = key.EncodedAccessTokenHeader;
        int signatureSize = key.SignatureSize;
        int signingInputLength = checked(header.Length + 1 + Base64UrlStrict.GetEncodedLength(payload.Length));
        int total = checked(signingInputLength + 1 + Base64UrlStrict.GetEncodedLength(signatureSize));
        if (total > _settings.MaxTokenLength)
        {
            throw new ArgumentException(Error.TokenTooLong, nameof(request));
        }

        if (total > destination.Length)
        {
            return throwWhenTooSmall ? throw new ArgumentException(Error.TokenTooLong, nameof(destination)) : 0;
        }

        header.CopyTo(destination);
        destination[header.Length] = (byte)'.';
        Base64UrlStrict.EncodeToUtf8(payload, destination[(header.Length + 1)..]);

        Span<byte> signature = stackalloc byte[signatureSize];
        key.Algorithm.Sign(key, destination[..signingInputLength], signature);
        destination[signingInputLength] = (byte)'.';
        Base64UrlStrict.EncodeToUtf8(signature, destination[(signingInputLength + 1)..]);
        return total;
    }

    private ReadOnlySpan<byte> WritePayload(PayloadBuffer buffer, AccessTokenRequest request, string audience, TimeSpan lifetime)
    {
        Utf8JsonWriter writer = buffer.Start();
        long now = _time.GetUtcNow().ToUnixTimeSeconds();
        long expires = checked(now + (long)lifetime.TotalSeconds);

        Span<byte> jtiText = stackalloc byte[Base64UrlStrict.GetEncodedLength(JtiBytes)];
        buffer.WriteTokenId(_tokens, jtiText);

        writer.WriteStartObject();
        writer.WriteString("iss"u8, _settings.IssuerUtf8);
        writer.WriteString("sub"u8, request.Subject);
        if (request.Audience is null)
        {
            writer.WriteString("aud"u8, _settings.AudienceUtf8);
        }
        else
        {
            writer.WriteString("aud"u8, audience);
        }

        writer.WriteNumber("exp"u8, expires);
        writer.WriteNumber("iat"u8, now);
        writer.WriteNumber("nbf"u8, now);
        writer.WriteString("jti"u8, jtiText);

        // RFC 9068 §2.2: client_id always; scope, auth_time, acr and amr when known.
        if (request.ClientId is null)
        {
            writer.WriteString("client_id"u8, _settings.DefaultClientIdUtf8);
        }
        else
        {
            writer.WriteString("client_id"u8, request.ClientId);
        }

        if (request.Scope is not null)
        {
            writer.WriteString("scope"u8, request.Scope);
        }

        if (request.AuthenticationTime is DateTimeOffset authenticatedAt)
        {
            writer.WriteNumber("auth_time"u8, authenticatedAt.ToUnixTimeSeconds());
        }

        WriteAuthenticationContext(writer, request);

        // SessionCore: the session and the user's security epoch, for online validation.
        if (!request.SessionId.IsEmpty)
        {
            writer.WriteString("sid"u8, request.SessionId.ToString());
            writer.WriteNumber(AccessTokenClaims.SecurityEpochClaimName, request.SecurityEpoch);
        }

        // RFC 9449 §6.1: the confirmation of a sender-constrained token, the thumbprint of the proof key.
        if (request.ConfirmationThumbprint is not null)
        {
            writer.WriteStartObject("cnf"u8);
            writer.WriteString("jkt"u8, request.ConfirmationThumbprint);
            writer.WriteEndObject();
        }

        if (request.Claims is { Count: > 0 } claims)
        {
            foreach (KeyValuePair<string, object> claim in claims)
            {
                _settings.CheckCustomClaimName(claim.Key);
                WriteCustomClaim(writer, claim.Key, claim.Value);
            }
        }

        writer.WriteEndObject();
        writer.Flush();
        return buffer.Written;
    }

    private void WriteAuthenticationContext(Utf8JsonWriter writer, AccessTokenRequest request)
    {
        string? acr = null;
        string[]? mappedMethods = null;
        if (request.AuthenticationLevel is int level)
        {
            _settings.AcrByLevel.TryGetValue(level, out acr);
            _settings.AmrByLevel.TryGetValue(level, out mappedMethods);
        }

        if (acr is not null)
        {
            writer.WriteString("acr"u8, acr);
        }

        IReadOnlyList<string>? methods = request.AuthenticationMethods ?? mappedMethods;
        if (methods is not null)
        {
            writer.WriteStartArray("amr"u8);
            foreach (string method in methods)
            {
                writer.WriteStringValue(method);
            }

            writer.WriteEndArray();
        }
    }

    /// <summary>A per-thread payload buffer and JSON writer, reset for every token so issuing allocates only the result.</summary>
#pragma warning disable CA1001 // Lives as long as its thread; a Utf8JsonWriter over an ArrayBufferWriter holds no unmanaged resource.
    private sealed class PayloadBuffer
#pragma warning restore CA1001
    {
        private readonly ArrayBufferWriter<byte> _buffer = new(512);
        private readonly Utf8JsonWriter _writer;
        private readonly byte[] _random = new byte[JtiBytes * 32];
        private int _randomUsed = JtiBytes * 32;
        private TokenSource? _randomSource;

        public PayloadBuffer() => _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = false });

        public ReadOnlySpan<byte> Written => _buffer.WrittenSpan;

        /// <summary>
        /// Writes a fresh 128-bit token id. The CSPRNG is asked for many ids at once: one call per token
        /// cost more than the rest of the payload. Each id is handed out once and its bytes zeroed.
        /// </summary>
        public void WriteTokenId(TokenSource source, Span<byte> destination)
        {
            if (_randomUsed == _random.Length || !ReferenceEquals(_randomSource, source))
            {
                source.Fill(_random);
                _randomSource = source;
                _randomUsed = 0;
            }

            Span<byte> id = _random.AsSpan(_randomUsed, JtiBytes);
            Base64UrlStrict.EncodeToUtf8(id, destination);
            CryptographicOperations.ZeroMemory(id);
            _randomUsed += JtiBytes;
        }

        public Utf8JsonWriter Start()
        {
            _buffer.ResetWrittenCount();
            _writer.Reset(_buffer);
            return _writer;
        }
    }
}
