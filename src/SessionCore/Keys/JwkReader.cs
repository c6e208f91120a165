using System;
using System.Text.Json;
using SessionCore.Internal;

namespace SessionCore.Keys;

/// <summary>
/// Reads JWK members strictly: strings must be strings, byte values canonical unpadded base64url of a
/// bounded length. The length is checked on the encoded text before anything is decoded, so a hostile
/// member costs no more than its bound. Decoded private values are the caller's to zero.
/// </summary>
internal static class JwkReader
{
    /// <summary>Reads an optional or required string member; false when it has another JSON type, or is missing but required.</summary>
    public static bool TryGetString(JsonElement jwk, string name, bool required, out string? value)
    {
        value = null;
        if (!jwk.TryGetProperty(name, out JsonElement element))
        {
            return !required;
        }

        if (element.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        value = element.GetString();
        return true;
    }

    /// <summary>Reads an optional or required base64url member of at most <paramref name="maxLength"/> decoded bytes.</summary>
    public static bool TryGetBytes(JsonElement jwk, string name, bool required, int maxLength, out byte[]? value)
    {
        value = null;
        if (!jwk.TryGetProperty(name, out JsonElement element))
        {
            return !required;
        }

        if (element.ValueKind != JsonValueKind.String || element.GetString() is not string text || text.Length > Base64UrlStrict.GetEncodedLength(maxLength))
        {
            return false;
        }

        value = Base64UrlStrict.TryDecode(text);
        return value is not null;
    }

    /// <summary>
    /// Reads a Base64urlUInt member (RFC 7518 §2): big-endian, at least one byte and no leading zero byte,
    /// so every value has one encoding; at most <paramref name="maxLength"/> bytes.
    /// </summary>
    public static bool TryGetUnsignedInteger(JsonElement jwk, string name, bool required, int maxLength, out byte[]? value)
    {
        if (!TryGetBytes(jwk, name, required, maxLength, out value))
        {
            return false;
        }

        if (value is not null && (value.Length == 0 || value[0] == 0))
        {
            Zero(value);
            value = null;
            return false;
        }

        return true;
    }

    public static void Zero(byte[]? value)
    {
        if (value is not null)
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(value);
        }
    }
}
