using System;
using System.Text;
using System.Text.Json;
using SessionCore.Internal;
using SessionCore.Keys;
using SessionCore.Tokens;

namespace SessionCore.Jwt;

/// <summary>The claims of a validated access token.</summary>
/// <threadsafety>Immutable and safe to share.</threadsafety>
public sealed class AccessTokenClaims
{
    /// <summary>The name of the claim that carries the user's security epoch.</summary>
    public const string SecurityEpochClaimName = "sc_epoch";

    private readonly byte[] _payload;

    internal AccessTokenClaims(byte[] payload, SigningKey key)
    {
        _payload = payload;
        Key = key;
    }

    /// <summary>Gets the <c>iss</c> claim.</summary>
    public string Issuer { get; internal set; } = string.Empty;

    /// <summary>Gets the <c>sub</c> claim.</summary>
    public string Subject { get; internal set; } = string.Empty;

    /// <summary>Gets the configured audience that the token's <c>aud</c> contained.</summary>
    public string Audience { get; internal set; } = string.Empty;

    /// <summary>Gets the <c>exp</c> claim.</summary>
    public DateTimeOffset ExpiresAt { get; internal set; }

    /// <summary>Gets the <c>iat</c> claim.</summary>
    public DateTimeOffset IssuedAt { get; internal set; }

    /// <summary>Gets the <c>nbf</c> claim, or <see langword="null"/> when absent.</summary>
    public DateTimeOffset? NotBefore { get; internal set; }

    /// <summary>Gets the <c>jti</c> claim.</summary>
    public string TokenId { get; internal set; } = string.Empty;

    /// <summary>Gets the <c>sid</c> claim, or the default (empty) value when the token has none.</summary>
    public SessionId SessionId { get; internal set; }

    /// <summary>Gets the <c>sc_epoch</c> claim, or <see langword="null"/> when absent.</summary>
    public long? SecurityEpoch { get; internal set; }

    /// <summary>Gets the key that verified the token.</summary>
    public SigningKey Key { get; }

    /// <summary>Gets the decoded payload (the JSON claims set, UTF-8).</summary>
    public ReadOnlyMemory<byte> Payload => _payload;

    /// <summary>Returns the payload as JSON text, for example to print or log it (it holds no secret by construction of the issuer).</summary>
    /// <returns>The JSON claims set.</returns>
    public string GetPayloadJson() => Encoding.UTF8.GetString(_payload);

    /// <summary>Reads any claim, for example a custom one.</summary>
    /// <param name="name">The claim name.</param>
    /// <param name="value">A detached copy of the value, when present.</param>
    /// <returns><see langword="true"/> when the payload has the claim.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    public bool TryGetClaim(string name, out JsonElement value)
    {
        Throw.IfNull(name);
        using JsonDocument document = JsonDocument.Parse(_payload);
        if (document.RootElement.TryGetProperty(name, out JsonElement element))
        {
            value = element.Clone();
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>Returns the token id only.</summary>
    /// <returns>A short description without claims values other than the token id.</returns>
    public override string ToString() => "AccessTokenClaims jti=" + TokenId;
}
