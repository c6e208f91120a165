using System;
using System.Collections.Generic;
using System.Text.Json;
using SessionCore.Internal;
using SessionCore.Keys;
using SessionCore.Tokens;

namespace SessionCore.Jwt;

// The claims stage: the payload's structure, the claims' types, then issuer, audience, times, client and scope.
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
        ClaimsSeen seen = default;
        Utf8JsonReader reader = new(payload, StrictJson.ReaderOptions);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!ReadClaim(ref reader, result, ref seen))
            {
                return AccessTokenValidationStatus.Malformed;
            }
        }

        AccessTokenValidationStatus status = CheckClaims(result, seen);
        if (status == AccessTokenValidationStatus.Valid)
        {
            result.Issuer = _settings.Issuer;
            result.Audience = _settings.Audience;
            claims = result;
        }

        return status;
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

    private static bool TryReadString(ref Utf8JsonReader reader, out string value)
    {
        reader.Read();
        value = reader.TokenType == JsonTokenType.String ? reader.GetString()! : string.Empty;
        return reader.TokenType == JsonTokenType.String;
    }

    /// <summary>Reads the member the reader stands on into <paramref name="result"/>; false when a known claim has the wrong type.</summary>
    private bool ReadClaim(ref Utf8JsonReader reader, AccessTokenClaims result, ref ClaimsSeen seen)
    {
        // RFC 7519 §4.1: the registered claims the profile requires or uses.
        if (reader.ValueTextEquals("iss"u8))
        {
            reader.Read();
            seen.Issuer = true;
            seen.IssuerValid = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(_settings.IssuerUtf8);
            return reader.TokenType == JsonTokenType.String;
        }

        if (reader.ValueTextEquals("aud"u8))
        {
            reader.Read();
            seen.Audience = true;
            return ReadAudience(ref reader, ref seen);
        }

        if (reader.ValueTextEquals("sub"u8))
        {
            seen.Subject = TryReadString(ref reader, out string subject);
            result.Subject = subject;
            return seen.Subject;
        }

        if (reader.ValueTextEquals("jti"u8))
        {
            seen.TokenId = TryReadString(ref reader, out string tokenId);
            result.TokenId = tokenId;
            return seen.TokenId;
        }

        if (reader.ValueTextEquals("exp"u8) || reader.ValueTextEquals("iat"u8) || reader.ValueTextEquals("nbf"u8) || reader.ValueTextEquals("auth_time"u8))
        {
            return ReadDateClaim(ref reader, result, ref seen);
        }

        // RFC 9068 §2.2: the client, the scope and the authentication context.
        if (reader.ValueTextEquals("client_id"u8))
        {
            bool valid = TryReadString(ref reader, out string clientId);
            result.ClientId = valid ? clientId : null;
            return valid;
        }

        if (reader.ValueTextEquals("scope"u8))
        {
            bool valid = TryReadString(ref reader, out string scope);
            result.Scope = valid ? scope : null;
            return valid;
        }

        if (reader.ValueTextEquals("acr"u8))
        {
            bool valid = TryReadString(ref reader, out string acr);
            result.AuthenticationContextClass = valid ? acr : null;
            return valid;
        }

        if (reader.ValueTextEquals("amr"u8))
        {
            return ReadAuthenticationMethods(ref reader, result);
        }

        // SessionCore: the session and the user's security epoch at issue.
        if (reader.ValueTextEquals("sid"u8))
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.String || !SessionId.TryParse(reader.GetString(), out SessionId sid))
            {
                return false;
            }

            result.SessionId = sid;
            return true;
        }

        if (reader.ValueTextEquals("sc_epoch"u8))
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out long epoch) || epoch < 0)
            {
                return false;
            }

            result.SecurityEpoch = epoch;
            return true;
        }

        // Anything else, a confirmation ("cnf", RFC 7800) included until sender-constrained tokens are supported,
        // is left in the payload for TryGetClaim. On a property name, Skip passes over its whole value.
        reader.Skip();
        return true;
    }

    private bool ReadAudience(ref Utf8JsonReader reader, ref ClaimsSeen seen)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            seen.AudienceValid = reader.ValueTextEquals(_settings.AudienceUtf8);
            return true;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                return false;
            }

            seen.AudienceValid |= reader.ValueTextEquals(_settings.AudienceUtf8);
        }

        return true;
    }

    private static bool ReadDateClaim(ref Utf8JsonReader reader, AccessTokenClaims result, ref ClaimsSeen seen)
    {
        bool isExpiry = reader.ValueTextEquals("exp"u8), isIssuedAt = reader.ValueTextEquals("iat"u8), isNotBefore = reader.ValueTextEquals("nbf"u8);
        reader.Read();
        if (!TryReadDate(ref reader, out DateTimeOffset value))
        {
            return false;
        }

        if (isExpiry)
        {
            seen.Expiry = true;
            result.ExpiresAt = value;
        }
        else if (isIssuedAt)
        {
            seen.IssuedAt = true;
            result.IssuedAt = value;
        }
        else if (isNotBefore)
        {
            result.NotBefore = value;
        }
        else
        {
            result.AuthenticationTime = value;
        }

        return true;
    }

    private static bool ReadAuthenticationMethods(ref Utf8JsonReader reader, AccessTokenClaims result)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        List<string> methods = [];
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                return false;
            }

            methods.Add(reader.GetString()!);
        }

        result.AuthenticationMethods = methods;
        return true;
    }

    private AccessTokenValidationStatus CheckClaims(AccessTokenClaims result, in ClaimsSeen seen)
    {
        if (!seen.Issuer || !seen.Audience || !seen.Expiry || !seen.IssuedAt || !seen.Subject || !seen.TokenId)
        {
            return AccessTokenValidationStatus.MissingClaim;
        }

        if (!seen.IssuerValid)
        {
            return AccessTokenValidationStatus.InvalidIssuer;
        }

        if (!seen.AudienceValid)
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

        if (_settings.RequireClientId && result.ClientId is null)
        {
            return AccessTokenValidationStatus.MissingClaim;
        }

        if (_settings.AllowedClientIds.Length > 0 && Array.IndexOf(_settings.AllowedClientIds, result.ClientId) < 0)
        {
            return AccessTokenValidationStatus.ClientNotAllowed;
        }

        foreach (string scope in _settings.RequiredScopes)
        {
            if (!result.HasScope(scope))
            {
                return AccessTokenValidationStatus.InsufficientScope;
            }
        }

        return AccessTokenValidationStatus.Valid;
    }

    /// <summary>Which required claims the payload had, and whether issuer and audience matched.</summary>
    private struct ClaimsSeen
    {
        public bool Issuer;
        public bool IssuerValid;
        public bool Audience;
        public bool AudienceValid;
        public bool Subject;
        public bool TokenId;
        public bool Expiry;
        public bool IssuedAt;
    }
}
