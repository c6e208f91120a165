namespace SessionCore.Internal;

/// <summary>Messages of the access-token area. None carries a key, a token or a claim value.</summary>
internal static partial class Error
{
    public const string KeyAlgorithmMismatch = "The key belongs to another signing algorithm.";
    public const string KeyHasNoPrivatePart = "The key holds only a public part and cannot sign.";
    public const string PrivateExportNotAllowed = "The key was not created with SigningKeyExportPolicies.AllowPrivateExport; its private part cannot be exported.";
    public const string SignatureBufferSize = "The signature buffer must be exactly the key's signature size.";
    public const string KeySizeNotSupported = "The key size is not supported by the algorithm: ES256 and EdDSA keys have 256 bits, RSA keys a multiple of 8 from 2048 to 4096 bits.";
    public const string InvalidJwk = "The value is not a supported JSON Web Key (EC P-256, OKP Ed25519, or RSA of 2048 to 4096 bits with alg RS256 or PS256; strict base64url, no duplicate members, matching alg/use/kid).";
    public const string InvalidJwks = "The value is not a JSON Web Key Set of supported keys.";
    public const string NoActiveKey = "The key ring has no active signing key. Call Rotate with a key that holds a private part.";
    public const string DuplicateKeyId = "The key ring already holds a key with this key id.";
    public const string IssuerMissing = "AccessTokenOptions.Issuer must be set.";
    public const string AudienceMissing = "AccessTokenOptions.Audience must be set.";
    public const string KeyRingMissing = "No signing key ring is configured. Set KeyRing before building.";
    public const string OnlineNeedsStore = "Online validation needs a session store. Set Store (or register an ISessionStore), or choose AccessTokenValidationMode.Offline deliberately.";
    public const string ClaimNameEmpty = "A claim name must not be empty.";
    public const string ClaimNameReserved = "The claim name is reserved for the access-token profile and is written by the issuer.";
    public const string ClaimNameSensitive = "The claim name suggests a secret (password, key, card or social security number). JWT payloads are only encoded, not encrypted: anyone holding the token can read them. Keep secrets out of tokens.";
    public const string ClaimValueType = "A claim value must be a string, a Boolean, an integer, a finite double, a string sequence or a JsonElement.";
    public const string TokenTooLong = "The token would exceed AccessTokenOptions.MaxTokenLength; send fewer or shorter claims.";
    public const string SubjectTooLong = "The subject is longer than 1024 characters.";
    public const string DefaultClientIdMissing = "AccessTokenOptions.DefaultClientId must be set to issue tokens: RFC 9068 requires a client_id on every access token, and a request that names no client gets this one.";
    public const string ConfirmationThumbprintInvalid = "A confirmation thumbprint (cnf.jkt) must be an RFC 7638 SHA-256 thumbprint: 43 base64url characters.";
    public const string ClientIdInvalid = "A client_id must be 1 to 256 printable ASCII characters (RFC 6749 A.1), not only spaces.";
    public const string ScopeInvalid = "A scope must be scope tokens of printable ASCII without '\"' or '\\', separated by single spaces (RFC 6749 §3.3), at most 2048 characters; a required scope is one token.";
    public const string AuthenticationContextClassInvalid = "An acr value must be 1 to 256 printable ASCII characters.";
    public const string AuthenticationMethodsInvalid = "Authentication methods (amr) must be 1 to 16 values of 1 to 256 printable ASCII characters.";
    public const string MetadataUrlInvalid = "Metadata URLs must be absolute https URLs (http only on a loopback host) without user information or fragment; the issuer also without a query (RFC 8414 §2).";
    public const string MetadataListInvalid = "Metadata lists must hold distinct values of printable ASCII without spaces; grant types and token endpoint authentication methods need at least one, revocation endpoint authentication methods exactly when there is a revocation endpoint.";
    public const string ForbiddenFragmentEmpty = "ForbiddenClaimNameFragments must not contain empty entries.";

    public const string JwksHoldsPrivateKey = "The JWKS holds a private key; a JWKS must carry public keys only.";
    public const string JwksKeyUnderTwoAlgorithms = "The JWKS lists one key under two algorithms; a key serves one algorithm.";
}
