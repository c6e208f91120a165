using System;
using System.Buffers.Text;
using System.Collections.Generic;
using System.Net.Http;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;

namespace SessionCore.AspNetCore.Tests;

/// <summary>
/// A DPoP client for the tests (RFC 9449 §4): its own P-256 key, proofs signed with the BCL's ECDsa (IEEE P1363
/// signatures, as JWS ES256 needs), each with a fresh <c>jti</c> and the test application's clock for <c>iat</c>.
/// </summary>
internal sealed class DpopTestClient : IDisposable
{
    public const string TestServerOrigin = "http://localhost";

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly TestApp _app;

    public DpopTestClient(TestApp app)
    {
        _app = app;
        ECParameters p = _key.ExportParameters(includePrivateParameters: false);
        Jwk = new JsonObject { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = B64(p.Q.X!), ["y"] = B64(p.Q.Y!) };

        // RFC 7638 §3.2: the required members in lexicographic order, no white space.
        string canonical = $"{{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"{B64(p.Q.X!)}\",\"y\":\"{B64(p.Q.Y!)}\"}}";
        Thumbprint = B64(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    public JsonObject Jwk { get; }

    public string Thumbprint { get; }

    public string? Nonce { get; set; }

    public static string B64(ReadOnlySpan<byte> bytes) => Base64Url.EncodeToString(bytes);

    public static string Ath(string accessToken) => B64(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken)));

    /// <summary>A proof for <paramref name="method"/> and <paramref name="url"/>, with <c>ath</c> when a token is given.</summary>
    public string Proof(string method, string url, string? accessToken = null, string? nonce = null, string? jti = null, Action<JsonObject>? change = null)
    {
        JsonObject header = new() { ["typ"] = "dpop+jwt", ["alg"] = "ES256", ["jwk"] = Jwk.DeepClone() };
        JsonObject payload = new()
        {
            ["jti"] = jti ?? B64(RandomNumberGenerator.GetBytes(16)),
            ["htm"] = method,
            ["htu"] = url,
            ["iat"] = _app.Time.GetUtcNow().ToUnixTimeSeconds(),
        };
        if (accessToken is not null)
        {
            payload["ath"] = Ath(accessToken);
        }

        if ((nonce ?? Nonce) is { } n)
        {
            payload["nonce"] = n;
        }

        change?.Invoke(payload);
        string input = B64(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + B64(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        return input + "." + B64(_key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256));
    }

    /// <summary>A token request to <c>/oauth/token</c>, with a proof for the published token endpoint unless <paramref name="proof"/> is false.</summary>
    public async Task<HttpResponseMessage> TokenAsync(IDictionary<string, string> form, bool proof = true)
    {
        using HttpRequestMessage request = new(HttpMethod.Post, "/oauth/token") { Content = new FormUrlEncodedContent(form) };
        if (proof)
        {
            request.Headers.Add("DPoP", Proof("POST", TestApp.Issuer + "/oauth/token"));
        }

        HttpResponseMessage response = await _app.Client.SendAsync(request, TestContext.Current.CancellationToken);
        Remember(response);
        return response;
    }

    /// <summary>A request with <c>Authorization: DPoP</c> and a fresh proof for it (or the given headers only).</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string accessToken, string scheme = "DPoP", bool proof = true)
    {
        List<(string, string)> headers = [("Authorization", scheme + " " + accessToken)];
        if (proof)
        {
            headers.Add(("DPoP", Proof(method.Method, TestServerOrigin + path, accessToken)));
        }

        HttpResponseMessage response = await SendRawAsync(_app, method, path, [.. headers]);
        Remember(response);
        return response;
    }

    /// <summary>Sends exactly the given header fields (several with one name become several fields).</summary>
    public static async Task<HttpResponseMessage> SendRawAsync(TestApp app, HttpMethod method, string path, params (string Name, string Value)[] headers)
    {
        using HttpRequestMessage request = new(method, path);
        foreach ((string name, string value) in headers)
        {
            Assert.True(request.Headers.TryAddWithoutValidation(name, value));
        }

        return await app.Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public void Dispose() => _key.Dispose();

    private void Remember(HttpResponseMessage response)
    {
        if (response.Headers.TryGetValues("DPoP-Nonce", out IEnumerable<string>? values))
        {
            Nonce = string.Join(",", values);
        }
    }
}
