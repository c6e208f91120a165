using System.Net.Http;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using SessionCore.DocSnippets;
using SessionCore.Sessions;
using SessionCore.Tests.Dbsc;
using Xunit;

namespace SessionCore.AspNetCore.Tests;

/// <summary>The guide's DBSC snippet, run: offer to every session, require after step-up.</summary>
public sealed partial class DbscTests
{
    [Fact]
    public async Task DocSnippet_AspNetCoreDbsc_OffersToAllAndRequiresAtLevelTwo()
    {
        await using WebApplication app = AspNetCoreDbscSnippets.Build(host => host.UseTestServer(), new byte[32]);
        app.MapPost("/signin/{user}/{level:int}", async (HttpContext http, string user, int level) =>
            (await http.SignInSessionAsync(user, level)).IsSuccess ? Results.Text(http.GetCsrfToken()) : Results.StatusCode(503)).RequireSameOrigin();
        app.MapGet("/me", (HttpContext http) => http.GetSession()!.UserId).RequireAuthorization();
        await app.StartAsync(TestContext.Current.CancellationToken);
        using HttpClient client = app.GetTestClient();
        Microsoft.Extensions.Time.Testing.FakeTimeProvider time = new();
        using DbscSpecClient plain = new(r => DbscTestApp.SendAsync(client, r), time, "none-supported");
        using DbscSpecClient plainAdmin = new(r => DbscTestApp.SendAsync(client, r), time, "none-supported");
        using DbscSpecClient dbscAdmin = new(r => DbscTestApp.SendAsync(client, r), time, "ES256");

        await SignInAsync(plain, "alice/1");
        await SignInAsync(plainAdmin, "root/2");
        await SignInAsync(dbscAdmin, "root/2");

        Assert.Equal(200, (await plain.FetchAsync("GET", DbscTestApp.Url("/me"))).Status);
        SpecResponse refused = await plainAdmin.FetchAsync("GET", DbscTestApp.Url("/me"));
        Assert.Equal(401, refused.Status);
        Assert.Single(refused.All("Secure-Session-Registration"));
        Assert.Equal([SpecOutcome.SessionCreated], dbscAdmin.Outcomes);
        Assert.Equal(200, (await dbscAdmin.FetchAsync("GET", DbscTestApp.Url("/me"))).Status);
    }
}
