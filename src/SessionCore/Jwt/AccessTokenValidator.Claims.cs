using System;
using System.Text.Json;
using SessionCore.Internal;
using SessionCore.Keys;
using SessionCore.Tokens;

namespace SessionCore.Jwt;

// The claims stage: the payload's structure, the claims' types, issuer, audience and times.
public sealed partial class AccessTokenValidator
{
    // structureChecked: the token is byte for byte one that passed this method before (the signature cache is keyed
    // by the SHA-256 of the whole token and only holds tokens that validated), so the strict JSON pass, which depends
    // on the payload bytes alone, would give the same answer again. The claims themselves are read and checked anew.
    private AccessTokenValidationStatus ReadClaims(ReadOnlySpan<byte> payload, SigningKey key, bool structureChecked, out AccessTokenClaims? claims)
    {
        claims = null;
        if (!structureChecked && !StrictJson.IsObjectWithUniqueMembers(payload))
        {
            return AccessTokenValidationStatus.Malformed;
        }

        AccessTokenClaims result = new(payload.ToArray(), key);
        bool hasIssuer = false, issuerValid = false, hasAudience = false, audienceValid = false;
        bool hasExpiry = false, hasIssuedAt = false, hasSubject = false, hasTokenId = false;
        Utf8JsonReader reader = new(payload, StrictJson.ReaderOptions);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("iss"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    return AccessTokenValidationStatus.Malformed;
                }

                hasIssuer = true;
                issuerValid = reader.ValueTextEquals(_settings.IssuerUtf8);
            }
            else if (reader.ValueTextEquals("aud"u8))
            {
                reader.Read();
                hasAudience = true;
                if (reader.TokenType == JsonTokenType.String)
                {
                    audienceValid = reader.ValueTextEquals(_settings.AudienceUtf8);
                }
                else if (reader.TokenType == JsonTokenType.StartArray)
                {
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (reader.TokenType != JsonTokenType.String)
                        {
                            return AccessTokenValidationStatus.Malformed;
                        }

                        audienceValid |= reader.ValueTextEquals(_settings.AudienceUtf8);
                    }
                }
                else
                {
                    return AccessTokenValidationStatus.Malformed;
                }
            }
            else if (reader.ValueTextEquals("sub"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    return AccessTokenValidationStatus.Malformed;
                }

                hasSubject = true;
                result.Subject = reader.GetString()!;
            }
            else if (reader.ValueTextEquals("jti"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    return AccessTokenValidationStatus.Malformed;
                }

                hasTokenId = true;
                result.TokenId = reader.GetString()!;
            }
            else if (reader.ValueTextEquals("exp"u8))
            {
                reader.Read();
                if (!TryReadDate(ref reader, out DateTimeOffset value))
                {
                    return AccessTokenValidationStatus.Malformed;
                }

                hasExpiry = true;
                result.ExpiresAt = value;
            }
            else if (reader.ValueTextEquals("iat"u8))
            {
                reader.Read();
                if (!TryReadDate(ref reader, out DateTimeOffset value))
                {
                    return AccessTokenValidationStatus.Malformed;
                }

                hasIssuedAt = true;
                result.IssuedAt = value;
            }
            else if (reader.ValueTextEquals("nbf"u8))
            {
                reader.Read();
                if (!TryReadDate(ref reader, out DateTimeOffset value))
                {
                    return AccessTokenValidationStatus.Malformed;
                }

                result.NotBefore = value;
            }
            else if (reader.ValueTextEquals("sid"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String || !SessionId.TryParse(reader.GetString(), out SessionId sid))
                {
                    return AccessTokenValidationStatus.Malformed;
                }

                result.SessionId = sid;
            }
            else if (reader.ValueTextEquals("sc_epoch"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out long epoch) || epoch < 0)
                {
                    return AccessTokenValidationStatus.Malformed;
                }

                result.SecurityEpoch = epoch;
            }
            else
            {
                reader.Skip();
            }
        }

        if (!hasIssuer || !hasAudience || !hasExpiry || !hasIssuedAt || !hasSubject || !hasTokenId)
        {
            return AccessTokenValidationStatus.MissingClaim;
        }

        if (!issuerValid)
        {
            return AccessTokenValidationStatus.InvalidIssuer;
        }

        if (!audienceValid)
        {
            return AccessTokenValidationStatus.InvalidAudience;
        }

        DateTimeOffset now = _time.GetUtcNow();
        TimeSpan skew = _settings.ClockSkew;
        if (now >= result.ExpiresAt + skew)
        {
            return AccessTokenValidationStatus.Expired;
        }

        if (result.NotBefore is DateTimeOffset notBefore && notBefore > now + skew)
        {
            return AccessTokenValidationStatus.NotYetValid;
        }

        if (result.IssuedAt > now + skew || result.ExpiresAt <= result.IssuedAt || result.ExpiresAt - result.IssuedAt > AccessTokenOptions.MaxLifetime)
        {
            return AccessTokenValidationStatus.InvalidLifetime;
        }

        result.Issuer = _settings.Issuer;
        result.Audience = _settings.Audience;
        claims = result;
        return AccessTokenValidationStatus.Valid;
    }

    private static bool TryReadDate(ref Utf8JsonReader reader, out DateTimeOffset value)
    {
        value = default;
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out long seconds) || seconds < 0 || seconds > MaxUnixSeconds)
        {
            return false;
        }

        value = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return true;
    }
}
