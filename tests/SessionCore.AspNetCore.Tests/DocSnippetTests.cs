using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using SessionCore.DocSnippets;
using Xunit;

namespace SessionCore.AspNetCore.Tests;

public sealed class DocSnippetTests
{
    [Fact]
    public async Task ReadmeAspNetCore_SignInMeFreshAndSessions_Work()
    {
        string directory = Directory.CreateTempSubdirectory("sessioncore-readme-").FullName;
        try
        {
            const string Url = "http://127.0.0.1:5231";
            await using WebApplication app = AspNetCoreSnippets.Build(["--urls", Url], Path.Combine(directory, "sessions.db"), (u, p) => u == "alice" && p == "pw");
            AspNetCoreSnippets.MapStepUp(app);
            await app.StartAsync(TestContext.Current.CancellationToken);
            using HttpClient client = new() { BaseAddress = new Uri(Url) };

            using HttpRequestMessage login = new(HttpMethod.Post, "/login") { Content = System.Net.Http.Json.JsonContent.Create(new { user = "alice", password = "pw" }) };
            login.Headers.Add("Sec-Fetch-Site", "same-origin");
            using HttpResponseMessage signedIn = await client.SendAsync(login, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
            string csrf = await signedIn.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            string cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("__Host-session=", StringComparison.Ordinal)).Split(';')[0];

            async Task<HttpStatusCode> SendAsync(HttpMethod method, string path, string? token = null)
            {
                using HttpRequestMessage request = new(method, path);
                request.Headers.Add("Cookie", cookie);
                request.Headers.Add("Sec-Fetch-Site", "same-origin");
                if (token is not null)
                {
                    request.Headers.Add("X-CSRF-Token", token);
                }

                using HttpResponseMessage response = await client.SendAsync(request, TestContext.Current.CancellationToken);
                return response.StatusCode;
            }

            Assert.Equal(HttpStatusCode.OK, await SendAsync(HttpMethod.Get, "/me"));
            Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(HttpMethod.Post, "/password"));
            Assert.Equal(HttpStatusCode.NoContent, await SendAsync(HttpMethod.Post, "/password", csrf));
            Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(HttpMethod.Delete, "/account", csrf));
            Assert.Equal(HttpStatusCode.OK, await SendAsync(HttpMethod.Get, "/sessions"));
            Assert.Equal(HttpStatusCode.BadRequest, await SendAsync(HttpMethod.Get, "/me?access_token=x"));
            await app.StopAsync(TestContext.Current.CancellationToken);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task AspNetCoreDpop_ChallengesBothSchemesAndPublishesTheProofAlgorithms()
    {
        string directory = Directory.CreateTempSubdirectory("sessioncore-dpop-").FullName;
        try
        {
            using Keys.SigningKey key = Keys.SigningKey.Generate(Keys.SigningAlgorithm.Es256);
            await using WebApplication app = AspNetCoreDpopSnippets.Build(["--urls", "http://127.0.0.1:0"], Path.Combine(directory, "sessions.db"), new Keys.SigningKeyRing(key));
            await app.StartAsync(TestContext.Current.CancellationToken);
            using HttpClient client = new() { BaseAddress = new Uri(app.Urls.First()) };

            using HttpResponseMessage api = await client.GetAsync("/api/orders", TestContext.Current.CancellationToken);
            using HttpResponseMessage metadata = await client.GetAsync("/.well-known/oauth-authorization-server", TestContext.Current.CancellationToken);

            Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
            Assert.Equal(SessionCoreBearerHandlerTests.BothNoError, SessionCoreBearerHandlerTests.Challenge(api));
            Assert.Equal(34, Assert.Single(api.Headers.GetValues("DPoP-Nonce")).Length);
            Assert.Equal(["ES256", "EdDSA", "Ed25519"], (await Http.JsonAsync(metadata)).GetProperty("dpop_signing_alg_values_supported").EnumerateArray().Select(e => e.GetString()));
            await app.StopAsync(TestContext.Current.CancellationToken);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
