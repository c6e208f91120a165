using System;
using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using SessionCore.Internal;

namespace SessionCore.Keys;

/// <summary>
/// RFC 7638 JWK thumbprints: SHA-256 over the required members of the key type, in lexicographic
/// order, with no white space (§3.2), encoded as base64url. Optional members (alg, kid, use) do not
/// take part.
/// </summary>
internal static class JwkThumbprint
{
    public static string Compute(KeyMaterial material)
    {
        ArrayBufferWriter<byte> buffer = new(192);
        using (Utf8JsonWriter writer = new(buffer))
        {
            writer.WriteStartObject();
            material.WriteRequiredPublicMembers(writer);
            writer.WriteEndObject();
        }

        return Hash(buffer.WrittenSpan);
    }

    /// <summary>The thumbprint of any JWK (EC, OKP, RSA, oct), for keys SessionCore does not sign with; false when a required member is missing.</summary>
    public static bool TryCompute(JsonElement jwk, out string thumbprint)
    {
        thumbprint = string.Empty;
        if (jwk.ValueKind != JsonValueKind.Object || !TryGetString(jwk, "kty", out string? kty))
        {
            return false;
        }

        string[]? required = kty switch
        {
            "EC" => ["crv", "kty", "x", "y"],
            "OKP" => ["crv", "kty", "x"],
            "RSA" => ["e", "kty", "n"],
            "oct" => ["k", "kty"],
            _ => null,
        };
        if (required is null)
        {
            return false;
        }

        ArrayBufferWriter<byte> buffer = new(512);
        using (Utf8JsonWriter writer = new(buffer))
        {
            writer.WriteStartObject();
            foreach (string name in required)
            {
                if (!TryGetString(jwk, name, out string? value))
                {
                    return false;
                }

                writer.WriteString(name, value);
            }

            writer.WriteEndObject();
        }

        thumbprint = Hash(buffer.WrittenSpan);
        return true;
    }

    private static string Hash(ReadOnlySpan<byte> json)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(json, digest);
        return Base64UrlStrict.Encode(digest);
    }

    private static bool TryGetString(JsonElement jwk, string name, out string? value)
    {
        value = jwk.TryGetProperty(name, out JsonElement element) && element.ValueKind == JsonValueKind.String ? element.GetString() : null;
        return value is not null;
    }
}
