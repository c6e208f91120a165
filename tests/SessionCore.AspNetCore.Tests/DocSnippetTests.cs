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
}
