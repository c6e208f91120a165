using System;
using System.Text;
using System.Text.Json;
using SessionCore.Internal;
using SessionCore.Keys;

namespace SessionCore.Jwt;

// The header stage: the protected header, the key it names and the algorithm that key is bound to.
public sealed partial class AccessTokenValidator
{
    /// <summary>
    /// Finds the verification key. A header byte for byte like one the ring's keys write is matched without
    /// parsing; any other header is parsed strictly, its <c>kid</c> must name a usable key, and its <c>alg</c>
    /// must be that key's algorithm: the key decides, the header may only agree. <paramref name="key"/> is
    /// set only when the answer is <see cref="AccessTokenValidationStatus.Valid"/>.
    /// </summary>
    private AccessTokenValidationStatus ResolveKey(ReadOnlySpan<byte> headerText, Span<byte> header, out SigningKey? key)
    {
        if (_ring.TryGetKeyByEncodedHeader(headerText, out key))
        {
            return AccessTokenValidationStatus.Valid;
        }

        if (!Base64UrlStrict.TryDecode(headerText, header, out _))
        {
            return AccessTokenValidationStatus.Malformed;
        }

        Span<byte> keyId = stackalloc byte[MaxKeyIdLength];
        AccessTokenValidationStatus status = ReadHeader(header, keyId, out int keyIdLength, out SigningAlgorithm? algorithm);
        if (status != AccessTokenValidationStatus.Valid)
        {
            return status;
        }

        if (!_ring.TryGetKey(keyId[..keyIdLength], out key))
        {
            return AccessTokenValidationStatus.UnknownKey;
        }

        if (!ReferenceEquals(key.Algorithm, algorithm))
        {
            key = null;
            return AccessTokenValidationStatus.AlgorithmMismatch;
        }

        return AccessTokenValidationStatus.Valid;
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
}
