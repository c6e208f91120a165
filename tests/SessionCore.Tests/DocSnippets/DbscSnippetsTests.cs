using System.Security.Cryptography;
using System.Threading.Tasks;
using SessionCore.Dbsc;
using SessionCore.DocSnippets;
using SessionCore.Sessions;
using SessionCore.Tests.TestSupport;
using Xunit;

namespace SessionCore.Tests.DocSnippets;

public sealed class DbscSnippetsTests
{
    [Fact]
    public async Task Snippets_UnboundSessionAndNoProof_AuthenticateAndRefuseAsDocumented()
    {
        SessionFixture f = new();
        DbscSessionService dbsc = DbscSnippets.Create(f.Manager, RandomNumberGenerator.GetBytes(32));
        string token = (await f.Manager.SignInAsync(new SignInRequest("alice"), TestContext.Current.CancellationToken)).Value.Reveal();

        (DbscAnswer register, DbscAnswer refresh, bool authenticated) = await DbscSnippets.HandleAsync(dbsc, token, null, null, null, null);

        Assert.Equal(400, register.StatusCode);   // no proof: refused
        Assert.Equal(200, refresh.StatusCode);    // never bound: {"continue": false}
        Assert.True(authenticated);               // level 1 is only offered binding
    }

    [Fact]
    public async Task Snippets_RequirePolicyForLevelTwo_RefusesTheUnboundSession()
    {
        SessionFixture f = new();
        DbscSessionService dbsc = DbscSnippets.Create(f.Manager, RandomNumberGenerator.GetBytes(32));
        string token = (await f.Manager.SignInAsync(new SignInRequest("admin") { AuthenticationLevel = 2 }, TestContext.Current.CancellationToken)).Value.Reveal();

        (_, _, bool authenticated) = await DbscSnippets.HandleAsync(dbsc, token, null, null, null, null);

        Assert.False(authenticated);
    }
}
