using System;
using System.Buffers;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using SessionCore.Internal;
using SessionCore.Keys;

namespace SessionCore.Jwt;

/// <summary>
/// An RFC 8414 authorization-server metadata document, built by <see cref="AuthorizationServerMetadataBuilder"/>.
/// The signing algorithms are read from the key ring each time the document is written, so a rotation to
/// another algorithm shows at once.
/// </summary>
/// <remarks>
/// Members written: <c>issuer</c>, <c>authorization_endpoint</c> (when set), <c>token_endpoint</c>,
/// <c>jwks_uri</c>, <c>revocation_endpoint</c> (when set), <c>scopes_supported</c> (when any),
/// <c>response_types_supported</c>, <c>grant_types_supported</c>, <c>token_endpoint_auth_methods_supported</c>,
/// <c>revocation_endpoint_auth_methods_supported</c> (with a revocation endpoint), <c>dpop_signing_alg_values_supported</c>
/// (RFC 9449 §5.1, when DPoP is accepted) and
/// <c>access_token_signing_alg_values_supported</c>: the algorithms of the ring's usable keys, active key
/// first. That last member is not in the IANA registry of RFC 8414 names, though several servers publish it;
/// RFC 9068 resource servers take each key's algorithm from the JWKS, where SessionCore writes <c>alg</c>.
/// </remarks>
/// <threadsafety>Immutable apart from the ring it reads; safe to share.</threadsafety>
public sealed class AuthorizationServerMetadata
{
    private readonly SigningKeyRing _ring;
    private readonly string[] _grantTypes;
    private readonly string[] _tokenEndpointAuthMethods;
    private readonly string[] _revocationEndpointAuthMethods;
    private readonly string[] _responseTypes;
    private readonly string[] _scopes;
    private readonly string[] _dpopAlgorithms;

    internal AuthorizationServerMetadata(
        string issuer,
        Uri tokenEndpoint,
        Uri jwksUri,
        Uri? revocationEndpoint,
        Uri? authorizationEndpoint,
        SigningKeyRing ring,
        string[] grantTypes,
        string[] tokenEndpointAuthMethods,
        string[] revocationEndpointAuthMethods,
        string[] responseTypes,
        string[] scopes,
        string[] dpopAlgorithms)
    {
        Issuer = issuer;
        TokenEndpoint = tokenEndpoint;
        JwksUri = jwksUri;
        RevocationEndpoint = revocationEndpoint;
        AuthorizationEndpoint = authorizationEndpoint;
        _ring = ring;
        _grantTypes = grantTypes;
        _tokenEndpointAuthMethods = tokenEndpointAuthMethods;
        _revocationEndpointAuthMethods = revocationEndpointAuthMethods;
        _responseTypes = responseTypes;
        _scopes = scopes;
        _dpopAlgorithms = dpopAlgorithms;
    }

    /// <summary>Gets the <c>issuer</c>.</summary>
    public string Issuer { get; }

    /// <summary>Gets the <c>token_endpoint</c>.</summary>
    public Uri TokenEndpoint { get; }

    /// <summary>Gets the <c>jwks_uri</c>.</summary>
    public Uri JwksUri { get; }

    /// <summary>Gets the <c>revocation_endpoint</c>, or <see langword="null"/>.</summary>
    public Uri? RevocationEndpoint { get; }

    /// <summary>Gets the <c>authorization_endpoint</c>, or <see langword="null"/>.</summary>
    public Uri? AuthorizationEndpoint { get; }

    /// <summary>Gets the JWS algorithms of the ring's usable keys now, active key first, each once.</summary>
    public IReadOnlyList<string> SigningAlgorithms
    {
        get
        {
            List<string> names = [];
            foreach (SigningKey key in _ring.Keys)
            {
                if (!names.Contains(key.Algorithm.Name))
                {
                    names.Add(key.Algorithm.Name);
                }
            }

            return names;
        }
    }

    /// <summary>Writes the document as one JSON object.</summary>
    /// <param name="writer">The writer.</param>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is <see langword="null"/>.</exception>
    public void WriteTo(Utf8JsonWriter writer)
    {
        Throw.IfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("issuer"u8, Issuer);
        if (AuthorizationEndpoint is not null)
        {
            writer.WriteString("authorization_endpoint"u8, AuthorizationEndpoint.AbsoluteUri);
        }

        writer.WriteString("token_endpoint"u8, TokenEndpoint.AbsoluteUri);
        writer.WriteString("jwks_uri"u8, JwksUri.AbsoluteUri);
        if (RevocationEndpoint is not null)
        {
            writer.WriteString("revocation_endpoint"u8, RevocationEndpoint.AbsoluteUri);
        }

        if (_scopes.Length > 0)
        {
            WriteList(writer, "scopes_supported"u8, _scopes);
        }

        WriteList(writer, "response_types_supported"u8, _responseTypes);
        WriteList(writer, "grant_types_supported"u8, _grantTypes);
        WriteList(writer, "token_endpoint_auth_methods_supported"u8, _tokenEndpointAuthMethods);
        if (RevocationEndpoint is not null)
        {
            WriteList(writer, "revocation_endpoint_auth_methods_supported"u8, _revocationEndpointAuthMethods);
        }

        writer.WriteStartArray("access_token_signing_alg_values_supported"u8);
        foreach (string algorithm in SigningAlgorithms)
        {
            writer.WriteStringValue(algorithm);
        }

        writer.WriteEndArray();
        if (_dpopAlgorithms.Length > 0)
        {
            WriteList(writer, "dpop_signing_alg_values_supported"u8, _dpopAlgorithms);
        }

        writer.WriteEndObject();
    }

    /// <summary>Returns the document as JSON text, to serve with <c>Content-Type: application/json</c>.</summary>
    /// <returns>The JSON object.</returns>
    public string ToJson()
    {
        ArrayBufferWriter<byte> buffer = new(1024);
        using (Utf8JsonWriter writer = new(buffer))
        {
            WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Returns the issuer only.</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => "AuthorizationServerMetadata " + Issuer;

    private static void WriteList(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string[] values)
    {
        writer.WriteStartArray(name);
        foreach (string value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }
}
