using System;
using System.Buffers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Diagnostics;
using SessionCore.Internal;
using SessionCore.Keys;
using SessionCore.Stores;

namespace SessionCore.Jwt;

// The stages live in partial files, cheapest first: AccessTokenValidator.Header.cs (header and key),
// .Signature.cs (signature and the verified-signature cache), .Claims.cs (payload and claims) and
// .Online.cs (session and security epoch through the store). This file holds the entry points.

/// <summary>
/// Validates access tokens: strict compact-JWS parsing, the key found by <c>kid</c> decides the
/// algorithm, signature, times, issuer and audience, and in online mode the session and security epoch
/// through the store. Create one with <see cref="AccessTokenBuilder"/> or <c>AddAccessTokens</c>.
/// </summary>
/// <remarks>
/// <para>
/// Security: untrusted input never throws; every refusal is a typed result. Refused outright: other
/// algorithms (HS*, none, and any but the named key's own), <c>crit</c>, <c>jku</c>, <c>x5u</c>, <c>jwk</c>, <c>x5c</c>, <c>b64</c>,
/// <c>zip</c>, duplicate JSON members at any depth, padding or non-canonical base64url, DER ECDSA
/// signatures, non-integer dates and oversize tokens. Online mode fails closed when the store fails.
/// </para>
/// </remarks>
/// <threadsafety>Safe to share between threads; register it as a singleton.</threadsafety>
public sealed partial class AccessTokenValidator
{
    private const int StackBufferSize = 1024;
    private const int MaxKeyIdLength = 64;
    private const int MaxClaimNameLength = 16;
    private const long MaxUnixSeconds = 253402300799; // 9999-12-31T23:59:59Z
    private const int ThumbprintLength = 43;

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
    /// <remarks>
    /// Security: this is the bearer path. A token bound to a key (<c>cnf.jkt</c>, RFC 9449) is refused here with
    /// <see cref="AccessTokenValidationStatus.ProofRequired"/>, so a host that knows only bearer tokens cannot be made
    /// to accept a stolen bound token (RFC 9449 §7.2); validate requests with <see cref="Dpop.ResourceAccessValidator"/>
    /// to accept bound tokens with their proofs.
    /// </remarks>
    public ValueTask<AccessTokenValidationResult> ValidateAsync(string? token, CancellationToken cancellationToken = default) =>
        ValidateCountedAsync(token, allowBound: false, cancellationToken);

    /// <summary>Validates signature and claims only, without the store, whatever <see cref="Mode"/> says.</summary>
    /// <param name="token">The presented token.</param>
    /// <returns>The claims, or why the token was refused.</returns>
    /// <remarks>
    /// Security: this does not see revocation; in online deployments use <see cref="ValidateAsync"/>. Like it, this is
    /// the bearer path: a bound token is refused with <see cref="AccessTokenValidationStatus.ProofRequired"/>.
    /// </remarks>
    public AccessTokenValidationResult ValidateOffline(ReadOnlySpan<char> token) => RefuseBound(ValidateOffline(token, allowBound: true));

    /// <summary>Validates signature and claims only, for a token held as UTF-8 bytes.</summary>
    /// <param name="utf8Token">The presented token.</param>
    /// <returns>The claims, or why the token was refused.</returns>
    /// <remarks>
    /// Security: this does not see revocation; in online deployments use <see cref="ValidateAsync"/>. A bound token is
    /// refused with <see cref="AccessTokenValidationStatus.ProofRequired"/>.
    /// </remarks>
    public AccessTokenValidationResult ValidateOffline(ReadOnlySpan<byte> utf8Token) => RefuseBound(ValidateOfflineCore(utf8Token));

    /// <summary>
    /// Reads a token presented for revocation (RFC 7009): signature and claims as <see cref="ValidateOffline(ReadOnlySpan{char})"/>,
    /// and a token bound to a key is read too, so revoking it can end the session it names.
    /// </summary>
    /// <param name="token">The token presented to the revocation endpoint.</param>
    /// <returns>The claims, or why the token was refused.</returns>
    /// <remarks>
    /// Security: never authenticate a request with this result. A bound token is answered without its proof of
    /// possession because revocation only ends a grant: whoever holds a token may end it (RFC 7009 §2.1, and RFC 9449
    /// asks no proof there), but nothing is ever granted on it. The store is not consulted; revoking an already ended
    /// session does nothing.
    /// </remarks>
    public AccessTokenValidationResult ReadForRevocation(ReadOnlySpan<char> token) => ValidateOffline(token, allowBound: true);

    /// <summary>Validates a token and counts the outcome; <paramref name="allowBound"/> only for callers that check the proof.</summary>
    internal async ValueTask<AccessTokenValidationResult> ValidateCountedAsync(string? token, bool allowBound, CancellationToken cancellationToken)
    {
        AccessTokenValidationResult result = await ValidateCoreAsync(token, cancellationToken).ConfigureAwait(false);
        if (!allowBound)
        {
            result = RefuseBound(result);
        }

        SessionCoreTelemetry.CountOutcome(SessionCoreTelemetry.AccessTokensValidated, result.Status);
        return result;
    }

    /// <summary>Signature and claims; a bound token is returned as valid, so the caller must check its proof.</summary>
    internal AccessTokenValidationResult ValidateOffline(ReadOnlySpan<char> token, bool allowBound)
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
            AccessTokenValidationResult result = ValidateOfflineCore(utf8[..length]);
            return allowBound ? result : RefuseBound(result);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static AccessTokenValidationResult RefuseBound(AccessTokenValidationResult result) =>
        result.TryGetValue(out AccessTokenClaims? claims) && claims.ConfirmationThumbprint is not null
            ? AccessTokenValidationResult.Failure(AccessTokenValidationStatus.ProofRequired)
            : result;

    private AccessTokenValidationResult ValidateOfflineCore(ReadOnlySpan<byte> utf8Token)
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

        if (!CompactJws.TrySplit(token, out CompactJws parts))
        {
            return AccessTokenValidationStatus.Malformed;
        }

        ReadOnlySpan<byte> headerText = parts.HeaderText;
        ReadOnlySpan<byte> payloadText = parts.PayloadText;
        ReadOnlySpan<byte> signatureText = parts.SignatureText;
        int headerLength = parts.HeaderLength;
        int payloadLength = parts.PayloadLength;
        int signatureLength = parts.SignatureLength;

        int total = parts.DecodedLength;
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

            AccessTokenValidationStatus status = ResolveKey(headerText, header, out SigningKey? found);
            if (status != AccessTokenValidationStatus.Valid)
            {
                return status;
            }

            SigningKey key = found!;
            status = CheckSignature(token, parts.SigningInput, signature, key, out bool cached, out TokenHash hash);
            if (status != AccessTokenValidationStatus.Valid)
            {
                return status;
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
}
