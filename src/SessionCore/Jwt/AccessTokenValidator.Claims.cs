using System;
using System.Collections.Generic;
using System.Text;
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

    /// <summary>
    /// Names the claim the reader stands on. Names are compared unescaped (a name written with JSON escapes is the
    /// same name), by length first, so each member costs one or two comparisons rather than one per known claim.
    /// </summary>
    private static Claim Identify(ref Utf8JsonReader reader)
    {
        Span<byte> unescaped = stackalloc byte[MaxClaimNameLength];
        scoped ReadOnlySpan<byte> name;
        if (!reader.ValueIsEscaped)
        {
            name = reader.ValueSpan;
        }
        else if (reader.ValueSpan.Length <= MaxClaimNameLength * 6)
        {
            // Each escape takes at least two bytes for one, so a name this short unescapes into the buffer or is longer than any known name.
            name = TryCopy(ref reader, unescaped, out int length) ? unescaped[..length] : default;
        }
        else
        {
            return Claim.Other;
        }

        return name.Length switch
        {
            3 => name.SequenceEqual("iss"u8) ? Claim.Issuer
                : name.SequenceEqual("aud"u8) ? Claim.Audience
                : name.SequenceEqual("sub"u8) ? Claim.Subject
                : name.SequenceEqual("jti"u8) ? Claim.TokenId
                : name.SequenceEqual("exp"u8) ? Claim.ExpiresAt
                : name.SequenceEqual("iat"u8) ? Claim.IssuedAt
                : name.SequenceEqual("nbf"u8) ? Claim.NotBefore
                : name.SequenceEqual("acr"u8) ? Claim.AuthenticationContextClass
                : name.SequenceEqual("amr"u8) ? Claim.AuthenticationMethods
                : name.SequenceEqual("sid"u8) ? Claim.SessionId
                : name.SequenceEqual("cnf"u8) ? Claim.Confirmation
                : Claim.Other,
            5 => name.SequenceEqual("scope"u8) ? Claim.Scope : Claim.Other,
            8 => name.SequenceEqual("sc_epoch"u8) ? Claim.SecurityEpoch : Claim.Other,
            9 => name.SequenceEqual("client_id"u8) ? Claim.ClientId
                : name.SequenceEqual("auth_time"u8) ? Claim.AuthenticationTime
                : Claim.Other,
            _ => Claim.Other,
        };
    }

    /// <summary>Reads the member the reader stands on into <paramref name="result"/>; false when a known claim has the wrong type.</summary>
    private bool ReadClaim(ref Utf8JsonReader reader, AccessTokenClaims result, ref ClaimsSeen seen)
    {
        Claim claim = Identify(ref reader);
        switch (claim)
        {
            // RFC 7519 §4.1: the registered claims the profile requires or uses.
            case Claim.Issuer:
                reader.Read();
                seen.Issuer = true;
                seen.IssuerValid = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(_settings.IssuerUtf8);
                return reader.TokenType == JsonTokenType.String;
            case Claim.Audience:
                reader.Read();
                seen.Audience = true;
                return ReadAudience(ref reader, ref seen);
            case Claim.Subject:
                seen.Subject = TryReadString(ref reader, out string subject);
                result.Subject = subject;
                return seen.Subject;
            case Claim.TokenId:
                seen.TokenId = TryReadString(ref reader, out string tokenId);
                result.TokenId = tokenId;
                return seen.TokenId;
            case Claim.ExpiresAt or Claim.IssuedAt or Claim.NotBefore or Claim.AuthenticationTime:
                return ReadDateClaim(ref reader, claim, result, ref seen);

            // RFC 9068 §2.2: the client, the scope and the authentication context.
            case Claim.ClientId:
            {
                bool valid = TryReadString(ref reader, out string clientId);
                result.ClientId = valid ? clientId : null;
                return valid;
            }

            case Claim.Scope:
            {
                bool valid = TryReadString(ref reader, out string scope);
                result.Scope = valid ? scope : null;
                return valid;
            }

            case Claim.AuthenticationContextClass:
            {
                bool valid = TryReadString(ref reader, out string acr);
                result.AuthenticationContextClass = valid ? acr : null;
                return valid;
            }

            case Claim.AuthenticationMethods:
                return ReadAuthenticationMethods(ref reader, result);

            // SessionCore: the session and the user's security epoch at issue.
            case Claim.SessionId:
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String || !SessionId.TryParse(reader.GetString(), out SessionId sid))
                {
                    return false;
                }

                result.SessionId = sid;
                return true;
            }

            case Claim.SecurityEpoch:
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out long epoch) || epoch < 0)
                {
                    return false;
                }

                result.SecurityEpoch = epoch;
                return true;
            }

            // RFC 9449 §6.1: the key a sender-constrained token is bound to.
            case Claim.Confirmation:
                return ReadConfirmation(ref reader, result);

            default:
                // Anything else is left in the payload for TryGetClaim. On a property name, Skip passes over its value.
                reader.Skip();
                return true;
        }
    }

    /// <summary>
    /// Reads <c>cnf</c> strictly: an object with exactly one member, <c>jkt</c>, whose value is a canonical base64url
    /// SHA-256 thumbprint written without escapes. Any other confirmation method (<c>x5t#S256</c>, <c>jwk</c>, …) or an
    /// extra member is refused: a binding this validator cannot check must not be read as no binding at all.
    /// </summary>
    private static bool ReadConfirmation(ref Utf8JsonReader reader, AccessTokenClaims result)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject
            || !reader.Read() || reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals("jkt"u8)
            || !reader.Read() || reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped
            || reader.ValueSpan.Length != ThumbprintLength || !Base64UrlStrict.IsCanonical(reader.ValueSpan))
        {
            return false;
        }

        string thumbprint = Encoding.ASCII.GetString(reader.ValueSpan);
        if (!reader.Read() || reader.TokenType != JsonTokenType.EndObject)
        {
            return false;
        }

        result.ConfirmationThumbprint = thumbprint;
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

    private static bool ReadDateClaim(ref Utf8JsonReader reader, Claim claim, AccessTokenClaims result, ref ClaimsSeen seen)
    {
        reader.Read();
        if (!TryReadDate(ref reader, out DateTimeOffset value))
        {
            return false;
        }

        switch (claim)
        {
            case Claim.ExpiresAt:
                seen.Expiry = true;
                result.ExpiresAt = value;
                break;
            case Claim.IssuedAt:
                seen.IssuedAt = true;
                result.IssuedAt = value;
                break;
            case Claim.NotBefore:
                result.NotBefore = value;
                break;
            default:
                result.AuthenticationTime = value;
                break;
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

    /// <summary>The claims the reader knows; a new one gets a member here and a case in <see cref="ReadClaim"/>.</summary>
    private enum Claim
    {
        Other,
        Issuer,
        Subject,
        Audience,
        ExpiresAt,
        IssuedAt,
        NotBefore,
        TokenId,
        ClientId,
        Scope,
        AuthenticationTime,
        AuthenticationContextClass,
        AuthenticationMethods,
        SessionId,
        SecurityEpoch,
        Confirmation,
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
