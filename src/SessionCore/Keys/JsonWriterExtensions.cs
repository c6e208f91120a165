using System;
using System.Security.Cryptography;
using System.Text.Json;
using SessionCore.Internal;

namespace SessionCore.Keys;

internal static class JsonWriterExtensions
{
    /// <summary>Writes <paramref name="value"/> as an unpadded base64url string without an intermediate string; the stack copy is zeroed.</summary>
    public static void WriteBase64UrlString(this Utf8JsonWriter writer, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        Span<byte> encoded = stackalloc byte[Base64UrlStrict.GetEncodedLength(value.Length)];
        try
        {
            int written = Base64UrlStrict.EncodeToUtf8(value, encoded);
            writer.WriteString(name, encoded[..written]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(encoded);
        }
    }
}
