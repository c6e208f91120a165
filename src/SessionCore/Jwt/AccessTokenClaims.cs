using System;
using System.Collections.Generic;
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

    /// <summary>Gets the <c>client_id</c> claim (RFC 9068 §2.2): the client the token was issued to, or <see langword="null"/> when absent.</summary>
    public string? ClientId { get; internal set; }

    /// <summary>Gets the <c>scope</c> claim (RFC 9068 §2.2.3), space-separated, or <see langword="null"/> when absent.</summary>
    public string? Scope { get; internal set; }

    /// <summary>Gets the <c>auth_time</c> claim: when the user last authenticated, or <see langword="null"/> when absent.</summary>
    public DateTimeOffset? AuthenticationTime { get; internal set; }

    /// <summary>Gets the <c>acr</c> claim (authentication context class reference), or <see langword="null"/> when absent.</summary>
    public string? AuthenticationContextClass { get; internal set; }

    /// <summary>Gets the <c>amr</c> claim (authentication methods, RFC 8176), empty when absent.</summary>
    public IReadOnlyList<string> AuthenticationMethods { get; internal set; } = [];

    /// <summary>Gets the <c>sid</c> claim, or the default (empty) value when the token has none.</summary>
    public SessionId SessionId { get; internal set; }

    /// <summary>Gets the <c>sc_epoch</c> claim, or <see langword="null"/> when absent.</summary>
    public long? SecurityEpoch { get; internal set; }

    /// <summary>
    /// Gets the <c>cnf.jkt</c> claim (RFC 9449 §6.1): the thumbprint of the key the token is bound to, or
    /// <see langword="null"/> for a bearer token.
    /// </summary>
    /// <remarks>Security: a bound token authenticates only together with a proof by that key; <see cref="Dpop.ResourceAccessValidator"/> checks both.</remarks>
    public string? ConfirmationThumbprint { get; internal set; }

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

    /// <summary>Tells whether the <c>scope</c> claim contains a scope token, compared exactly (ordinal).</summary>
    /// <param name="scope">One scope token, for example <c>orders:read</c>.</param>
    /// <returns><see langword="true"/> when the token's scope lists it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="scope"/> is <see langword="null"/>.</exception>
    /// <remarks>Security: a resource server checks the scope an endpoint needs here; <see cref="AccessTokenOptions.RequiredScopes"/> requires scopes of every token.</remarks>
    public bool HasScope(string scope)
    {
        Throw.IfNull(scope);
        return Scope is not null && scope.Length > 0 && OAuthSyntax.ScopeContains(Scope, scope);
    }

    /// <summary>Returns the token id only.</summary>
    /// <returns>A short description without claims values other than the token id.</returns>
    public override string ToString() => "AccessTokenClaims jti=" + TokenId;
}
