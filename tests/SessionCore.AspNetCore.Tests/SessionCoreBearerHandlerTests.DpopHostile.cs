using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Xunit;

namespace SessionCore.AspNetCore.Tests;

// A hostile corpus against the DPoP-enabled access-token scheme: each request with its exact status and challenge, never a 500.
public sealed partial class SessionCoreBearerHandlerTests
{
    public static TheoryData<string, HttpStatusCode, string> HostileDpopRequests() => new()
    {
        { "two Authorization fields", HttpStatusCode.BadRequest, InvalidRequestOnBearer },
        { "two DPoP fields", HttpStatusCode.Unauthorized, InvalidProof },
        { "the same proof in two DPoP fields", HttpStatusCode.Unauthorized, InvalidProof },
        { "two proofs folded into one field", HttpStatusCode.Unauthorized, InvalidProof },
        { "empty DPoP field", HttpStatusCode.Unauthorized, InvalidProof },
        { "20000-character proof", HttpStatusCode.Unauthorized, InvalidProof },
        { "5000-character proof-shaped field", HttpStatusCode.Unauthorized, InvalidProof },
        { "garbled proof", HttpStatusCode.Unauthorized, InvalidProof },
        { "proof with white space inside", HttpStatusCode.Unauthorized, InvalidProof },
        { "proof with non-ASCII characters", HttpStatusCode.Unauthorized, InvalidProof },
        { "unsigned proof (alg none)", HttpStatusCode.Unauthorized, InvalidProof },
        { "proof with a flipped signature byte", HttpStatusCode.Unauthorized, InvalidProof },
        { "proof an hour old", HttpStatusCode.Unauthorized, InvalidProof },
        { "proof for another token", HttpStatusCode.Unauthorized, InvalidProof },
        { "mixed-case dPoP scheme", HttpStatusCode.OK, string.Empty },
        { "upper-case DPOP scheme", HttpStatusCode.OK, string.Empty },
        { "upper-case BEARER scheme with a bound token", HttpStatusCode.Unauthorized, InvalidTokenOnBearer },
        { "DPoP scheme without a token", HttpStatusCode.BadRequest, InvalidRequestOnDpop },
        { "DPoP scheme with two tokens", HttpStatusCode.BadRequest, InvalidRequestOnDpop },
        { "DPoP scheme with a 9000-character token", HttpStatusCode.BadRequest, InvalidRequestOnBearer },
        { "DPoP scheme with a garbled token", HttpStatusCode.Unauthorized, InvalidTokenOnDpop },
        { "Basic credentials", HttpStatusCode.Unauthorized, BothNoError },
        { "a proof but no Authorization field", HttpStatusCode.Unauthorized, BothNoError },
    };

    [Theory]
    [MemberData(nameof(HostileDpopRequests))]
    public async Task Dpop_HostileRequest_AnswersExactStatusAndChallenge(string name, HttpStatusCode expected, string challenge)
    {
        await using TestApp app = await TestApp.StartAsync(dpop: _ => { });
        using DpopTestClient client = new(app);
        string access = await DpopGrantAsync(client);
        string url = DpopTestClient.TestServerOrigin + "/api/me";
        string proof = client.Proof("GET", url, access);
        string other = client.Proof("GET", url, access);
        (string, string) authorization = ("Authorization", "DPoP " + access);
        (string, string)[] headers = name switch
        {
            "two Authorization fields" => [authorization, authorization, ("DPoP", proof)],
            "two DPoP fields" => [authorization, ("DPoP", proof), ("DPoP", other)],
            "the same proof in two DPoP fields" => [authorization, ("DPoP", proof), ("DPoP", proof)],
            "two proofs folded into one field" => [authorization, ("DPoP", proof + ", " + other)],
            "empty DPoP field" => [authorization, ("DPoP", string.Empty)],
            "20000-character proof" => [authorization, ("DPoP", new string('a', 20000))],
            "5000-character proof-shaped field" => [authorization, ("DPoP", "eyJ" + new string('A', 5000) + ".e30.AAAA")],
            "garbled proof" => [authorization, ("DPoP", "not.a.jwt")],
            "proof with white space inside" => [authorization, ("DPoP", proof.Insert(20, " "))],
            "proof with non-ASCII characters" => [authorization, ("DPoP", Encoding.Latin1.GetString(Encoding.UTF8.GetBytes("é" + proof)))],
            "unsigned proof (alg none)" => [authorization, ("DPoP", Unsigned(client, proof))],
            "proof with a flipped signature byte" => [authorization, ("DPoP", proof[..^2] + (proof[^2] == 'A' ? 'B' : 'A') + proof[^1])],
            "proof an hour old" => [authorization, ("DPoP", client.Proof("GET", url, access, change: p => p["iat"] = (long)p["iat"]! - 3600))],
            "proof for another token" => [authorization, ("DPoP", client.Proof("GET", url, access + "x"))],
            "mixed-case dPoP scheme" => [("Authorization", "dPoP " + access), ("DPoP", proof)],
            "upper-case DPOP scheme" => [("Authorization", "DPOP " + access), ("DPoP", proof)],
            "upper-case BEARER scheme with a bound token" => [("Authorization", "BEARER " + access), ("DPoP", proof)],
            "DPoP scheme without a token" => [("Authorization", "DPoP"), ("DPoP", proof)],
            "DPoP scheme with two tokens" => [("Authorization", "DPoP " + access + " " + access), ("DPoP", proof)],
            "DPoP scheme with a 9000-character token" => [("Authorization", "DPoP " + new string('a', 9000)), ("DPoP", proof)],
            "DPoP scheme with a garbled token" => [("Authorization", "DPoP a.b.c"), ("DPoP", proof)],
            "Basic credentials" => [("Authorization", "Basic YWxpY2U6cHc="), ("DPoP", proof)],
            "a proof but no Authorization field" => [("DPoP", proof)],
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };

        using HttpResponseMessage response = await DpopTestClient.SendRawAsync(app, HttpMethod.Get, "/api/me", headers);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(challenge, Challenge(response));
        if (expected != HttpStatusCode.OK)
        {
            string body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.Matches("^\\{\"error\":\"[a-z_]+\"\\}$", body);
        }
    }

    /// <summary>The proof's header with <c>alg: none</c> and no signature.</summary>
    private static string Unsigned(DpopTestClient client, string proof)
    {
        JsonObject header = new() { ["typ"] = "dpop+jwt", ["alg"] = "none", ["jwk"] = client.Jwk.DeepClone() };
        string[] parts = proof.Split('.');
        return DpopTestClient.B64(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + parts[1] + ".";
    }
}
