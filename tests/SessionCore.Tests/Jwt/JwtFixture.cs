using System;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using SessionCore.Internal;
using SessionCore.Jwt;
using SessionCore.Keys;
using SessionCore.Stores;

namespace SessionCore.Tests.Jwt;

/// <summary>A key, ring, issuer and validator on a fake clock; disposes the key.</summary>
internal sealed class JwtFixture : IDisposable
{
    public const string Issuer = "https://login.example";
    public const string Audience = "api://orders";
    public const string ClientId = "orders-web";

    public JwtFixture(SigningAlgorithm algorithm, Action<AccessTokenOptions>? configure = null, ISessionStore? store = null, FakeTimeProvider? time = null)
    {
        Time = time ?? new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero));
        Key = Tests.Keys.Registry.NewKey(algorithm);
        Ring = new SigningKeyRing(Key, Time);
        AccessTokenOptions options = new() { Issuer = Issuer, Audience = Audience, DefaultClientId = ClientId, ValidationMode = store is null ? AccessTokenValidationMode.Offline : AccessTokenValidationMode.Online };
        configure?.Invoke(options);
        Builder = new AccessTokenBuilder { KeyRing = Ring, Options = options, TimeProvider = Time, Store = store };
        Issuer_ = Builder.BuildIssuer();
        Validator = Builder.BuildValidator();
    }

    public FakeTimeProvider Time { get; }

    public SigningKey Key { get; }

    public SigningKeyRing Ring { get; }

    public AccessTokenBuilder Builder { get; }

    public AccessTokenIssuer Issuer_ { get; }

    public AccessTokenValidator Validator { get; }

    public static string B64(string json) => Base64UrlStrict.Encode(Encoding.UTF8.GetBytes(json));

    public string Issue(string subject = "user-1") => Issuer_.Issue(new AccessTokenRequest { Subject = subject });

    public string DefaultHeader => $$"""{"alg":"{{Key.Algorithm.Name}}","typ":"at+jwt","kid":"{{Key.KeyId}}"}""";

    public string DefaultPayload
    {
        get
        {
            long now = Time.GetUtcNow().ToUnixTimeSeconds();
            return $$"""{"iss":"{{Issuer}}","sub":"user-1","aud":"{{Audience}}","exp":{{now + 600}},"iat":{{now - 300}},"nbf":{{now - 300}},"jti":"abc"}""";
        }
    }

    /// <summary>Signs arbitrary header and payload JSON with the fixture key, so only the defect under test is wrong.</summary>
    public string Craft(string headerJson, string payloadJson) => CraftEncoded(B64(headerJson), B64(payloadJson));

    public string CraftEncoded(string encodedHeader, string encodedPayload)
    {
        string signingInput = encodedHeader + "." + encodedPayload;
        byte[] signature = Key.Algorithm.Sign(Key, Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + Base64UrlStrict.Encode(signature);
    }

    public void Dispose() => Key.Dispose();
}
