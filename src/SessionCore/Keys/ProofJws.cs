using System;
using System.Text.Json;
using SessionCore.Internal;

namespace SessionCore.Keys;

/// <summary>
/// A strict reader of key-bound proofs: compact JWS (RFC 7515 §7.1) whose protected header names an allowed
/// algorithm and carries the public key (<c>jwk</c>, as in DPoP) or that is verified with a registered public key
/// (as in device-bound session credentials). Shared by every proof consumer so each check exists once.
/// </summary>
/// <remarks>
/// <para>
/// In order: the size bound before any parsing; exactly three segments of canonical unpadded base64url; header and
/// payload each one JSON object with no duplicate member at any depth (linear time, <see cref="StrictJson"/>); no
/// <c>crit</c>, <c>jku</c>, <c>x5u</c>, <c>x5c</c>, <c>b64</c> or <c>zip</c>; the expected <c>typ</c>; an
/// <c>alg</c> from the allow-list. Then the key (<see cref="TryGetEmbeddedKey"/> through <see cref="PublicJwk"/>, or a
/// registered one), whose type must fit the algorithm, and the signature (<see cref="Verify"/>). Claims are the
/// consumer's: they are read only after the signature holds.
/// </para>
/// <para>
/// Every span points into the caller's token or buffer; nothing is allocated unless a key must be imported.
/// Untrusted input never throws.
/// </para>
/// </remarks>
internal readonly ref struct ProofJws
{
    private readonly ProofKeyCache? _cache;
    private readonly SigningKey? _cachedKey;

    private ProofJws(
        ReadOnlySpan<byte> signingInput,
        ReadOnlySpan<byte> encodedHeader,
        ReadOnlySpan<byte> header,
        ReadOnlySpan<byte> payload,
        ReadOnlySpan<byte> signature,
        ReadOnlySpan<byte> jwk,
        bool hasJwk,
        ProofAlgorithm algorithm,
        ProofKeyCache? cache,
        SigningKey? cachedKey)
    {
        SigningInput = signingInput;
        EncodedHeader = encodedHeader;
        Header = header;
        Payload = payload;
        Signature = signature;
        Jwk = jwk;
        HasJwk = hasJwk;
        Algorithm = algorithm;
        _cache = cache;
        _cachedKey = cachedKey;
    }

    /// <summary>Gets the ASCII signing input, <c>header.payload</c> as received.</summary>
    public ReadOnlySpan<byte> SigningInput { get; }

    /// <summary>Gets the header segment as received (base64url).</summary>
    public ReadOnlySpan<byte> EncodedHeader { get; }

    /// <summary>Gets the decoded header JSON; empty when the header was recognised in the cache (<see cref="IsHeaderFromCache"/>) and not read again.</summary>
    public ReadOnlySpan<byte> Header { get; }

    /// <summary>Gets a value indicating whether the header is byte for byte one read before under the same policy, whose key came from the cache.</summary>
    public bool IsHeaderFromCache => _cachedKey is not null;

    /// <summary>Gets the decoded payload JSON (checked strictly, not yet trusted).</summary>
    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>Gets the decoded signature.</summary>
    public ReadOnlySpan<byte> Signature { get; }

    /// <summary>Gets the header's <c>jwk</c> object, or an empty span.</summary>
    public ReadOnlySpan<byte> Jwk { get; }

    /// <summary>Gets a value indicating whether the header has a <c>jwk</c> member (of any JSON type).</summary>
    public bool HasJwk { get; }

    /// <summary>Gets the allowed algorithm the header names.</summary>
    public ProofAlgorithm Algorithm { get; }

    /// <summary>The buffer size <see cref="TryParse"/> needs for a token of <paramref name="tokenLength"/> characters.</summary>
    /// <remarks>Each segment decodes to at most three quarters of its text, so the token's length is always enough.</remarks>
    public static int GetBufferSize(int tokenLength) => Math.Max(tokenLength, 0);

    /// <summary>Splits, decodes and checks the structure and header of <paramref name="token"/> (ASCII bytes).</summary>
    /// <param name="token">The compact JWS.</param>
    /// <param name="policy">The allow-list, type and size bound.</param>
    /// <param name="buffer">Receives the decoded segments; at least <see cref="GetBufferSize"/> bytes.</param>
    /// <param name="cache">
    /// The key cache of this policy, or <see langword="null"/>. A header byte for byte equal to one whose embedded key
    /// imported before is not read again: the same bytes give the same result under the same policy.
    /// </param>
    /// <param name="proof">The parsed proof when the result is <see cref="ProofJwsStatus.Valid"/>.</param>
    public static ProofJwsStatus TryParse(ReadOnlySpan<byte> token, ProofJwsPolicy policy, Span<byte> buffer, ProofKeyCache? cache, out ProofJws proof)
    {
        proof = default;
        if (token.IsEmpty)
        {
            return ProofJwsStatus.Malformed;
        }

        if (token.Length > policy.MaxLength)
        {
            return ProofJwsStatus.TooLarge;
        }

        if (!CompactJws.TrySplit(token, out CompactJws parts))
        {
            return ProofJwsStatus.Malformed;
        }

        ReadOnlySpan<byte> headerText = parts.HeaderText;
        ReadOnlySpan<byte> payloadText = parts.PayloadText;
        ReadOnlySpan<byte> signatureText = parts.SignatureText;
        int headerLength = parts.HeaderLength;
        int payloadLength = parts.PayloadLength;
        int signatureLength = parts.SignatureLength;

        if (parts.DecodedLength > buffer.Length)
        {
            throw new ArgumentException(null, nameof(buffer));
        }

        Span<byte> payload = buffer.Slice(headerLength, payloadLength);
        Span<byte> signature = buffer.Slice(headerLength + payloadLength, signatureLength);
        if (!Base64UrlStrict.TryDecode(payloadText, payload, out _)
            || !Base64UrlStrict.TryDecode(signatureText, signature, out _)
            || !StrictJson.IsObjectWithUniqueMembers(payload))
        {
            return ProofJwsStatus.Malformed;
        }

        if (cache is not null && cache.TryFindHeader(headerText, out ProofAlgorithm? cachedAlgorithm, out SigningKey? cachedKey))
        {
            proof = new ProofJws(parts.SigningInput, headerText, default, payload, signature, default, hasJwk: true, cachedAlgorithm!, cache, cachedKey);
            return ProofJwsStatus.Valid;
        }

        Span<byte> header = buffer[..headerLength];
        if (!Base64UrlStrict.TryDecode(headerText, header, out _) || !StrictJson.IsObjectWithUniqueMembers(header))
        {
            return ProofJwsStatus.Malformed;
        }

        ProofJwsStatus status = ReadHeader(header, policy, out ProofAlgorithm? algorithm, out int jwkStart, out int jwkLength, out bool hasJwk);
        if (status != ProofJwsStatus.Valid)
        {
            return status;
        }

        proof = new ProofJws(parts.SigningInput, headerText, header, payload, signature, header.Slice(jwkStart, jwkLength), hasJwk, algorithm!, cache, null);
        return ProofJwsStatus.Valid;
    }

    /// <summary>Imports the header's public key for the proof's algorithm (RFC 9449 §4.3 checks 6 and 7), through the parse's cache.</summary>
    public ProofJwsStatus TryGetEmbeddedKey(out SigningKey? key)
    {
        key = _cachedKey;
        if (key is not null)
        {
            return ProofJwsStatus.Valid;
        }

        if (!HasJwk)
        {
            return ProofJwsStatus.MissingKey;
        }

        ProofJwsStatus status = Jwk.IsEmpty ? ProofJwsStatus.InvalidKey : PublicJwk.TryImport(Jwk, Algorithm, _cache, out key);
        if (status == ProofJwsStatus.Valid)
        {
            _cache?.AddHeader(EncodedHeader, Algorithm, key!);
        }

        return status;
    }

    /// <summary>Checks a registered key fits the proof's algorithm; the header must not bring a key of its own.</summary>
    public ProofJwsStatus CheckRegisteredKey(SigningKey registered)
    {
        Throw.IfNull(registered);
        if (HasJwk)
        {
            return ProofJwsStatus.UnexpectedKey;
        }

        return ReferenceEquals(registered.Algorithm, Algorithm.Signing) ? ProofJwsStatus.Valid : ProofJwsStatus.AlgorithmMismatch;
    }

    /// <summary>Verifies the signature with <paramref name="key"/>, which must belong to the proof's algorithm.</summary>
    public ProofJwsStatus Verify(SigningKey key)
    {
        Throw.IfNull(key);
        if (!ReferenceEquals(key.Algorithm, Algorithm.Signing))
        {
            return ProofJwsStatus.AlgorithmMismatch;
        }

        try
        {
            return key.Algorithm.Verify(key, SigningInput, Signature)
                ? ProofJwsStatus.Valid
                : ProofJwsStatus.InvalidSignature;
        }
        catch (ObjectDisposedException)
        {
            // A key disposed under us verifies nothing (fail closed).
            return ProofJwsStatus.InvalidSignature;
        }
    }

    private static ProofJwsStatus ReadHeader(ReadOnlySpan<byte> header, ProofJwsPolicy policy, out ProofAlgorithm? algorithm, out int jwkStart, out int jwkLength, out bool hasJwk)
    {
        algorithm = null;
        jwkStart = 0;
        jwkLength = 0;
        hasJwk = false;
        bool typeValid = false, forbidden = false;
        Span<byte> scratch = stackalloc byte[64];
        Utf8JsonReader reader = new(header, StrictJson.ReaderOptions);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("alg"u8))
            {
                reader.Read();
                if (StrictJson.TryCopyString(ref reader, scratch, out int length))
                {
                    algorithm = ProofAlgorithm.Find(scratch[..length], policy.Algorithms);
                }
            }
            else if (reader.ValueTextEquals("typ"u8))
            {
                reader.Read();
                typeValid = StrictJson.TryCopyString(ref reader, scratch, out int length) && policy.IsExpectedType(scratch[..length]);
            }
            else if (reader.ValueTextEquals("jwk"u8))
            {
                reader.Read();
                hasJwk = true;
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    jwkStart = checked((int)reader.TokenStartIndex);
                    reader.Skip();
                    jwkLength = checked((int)reader.BytesConsumed) - jwkStart;
                }
            }
            else
            {
                forbidden |= reader.ValueTextEquals("crit"u8) || reader.ValueTextEquals("jku"u8) || reader.ValueTextEquals("x5u"u8)
                    || reader.ValueTextEquals("x5c"u8) || reader.ValueTextEquals("b64"u8) || reader.ValueTextEquals("zip"u8);
                reader.Read();
            }

            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                reader.Skip();
            }
        }

        return forbidden ? ProofJwsStatus.ForbiddenHeader
            : !typeValid ? ProofJwsStatus.WrongType
            : algorithm is null ? ProofJwsStatus.UnsupportedAlgorithm
            : ProofJwsStatus.Valid;
    }
}
