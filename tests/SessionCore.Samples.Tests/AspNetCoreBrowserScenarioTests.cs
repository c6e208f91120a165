using System.Threading.Tasks;
using SessionCore.Tests.Browser;
using Xunit;

namespace SessionCore.Samples.Tests;

/// <summary>
/// Runs tests/js/browser-aspnetcore.mjs once (headless Chromium through playwright-core) against the ASP.NET Core
/// sample started as a process with a fresh data folder. Missing node, playwright-core or Chromium makes the tests skip.
/// </summary>
public sealed class AspNetCoreBrowserScenarioFixture : IAsyncLifetime
{
    public BrowserScenarioRun Run { get; private set; } = BrowserScenarioRun.Skipped("the fixture did not run");

    public async ValueTask InitializeAsync()
    {
        if (BrowserScenarioRun.Missing() is { } missing)
        {
            Run = BrowserScenarioRun.Skipped(missing);
            return;
        }

        AspNetCoreSampleHost host = new();
        try
        {
            await host.InitializeAsync();
            Run = await BrowserScenarioRun.RunAsync("browser-aspnetcore.mjs", host.Origin, () => host.Log);
        }
        finally
        {
            await host.DisposeAsync();
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>
/// One test per browser scenario against the sample's page (wwwroot/index.html), all from one run of the script.
/// "Cross-site" forms come from http://localhost:PORT, another site, so SameSite=Strict withholds the cookie;
/// "sibling-origin" forms from http://127.0.0.1:PORT, the same site on another port, so the cookie goes along and
/// only the origin check stands in the way.
/// </summary>
public sealed class AspNetCoreBrowserScenarioTests : IClassFixture<AspNetCoreBrowserScenarioFixture>
{
    private readonly AspNetCoreBrowserScenarioFixture _fixture;

    public AspNetCoreBrowserScenarioTests(AspNetCoreBrowserScenarioFixture fixture) => _fixture = fixture;

    [Fact]
    public void SignIn_ThroughThePage_Returns200AndGreetsTheUser() => AssertScenario("sign-in");

    [Fact]
    public void Screenshot_OfTheSignedInPage_IsSaved() => _fixture.Run.AssertScreenshot();

    [Fact]
    public void SessionCookie_IsHostOnlyHttpOnlySecureStrict_AndHiddenFromScript() => AssertScenario("session-cookie-flags");

    [Theory]
    [InlineData("logout")]
    [InlineData("token")]
    [InlineData("sessions-revoke-others")]
    public void CrossSiteFormPost_CookieWithheld_Returns401AndKeepsTheSession(string endpoint) => AssertScenario("cross-site-post-refused-" + endpoint);

    [Fact]
    public void CrossSiteFormPost_ToElevate_Returns415AndKeepsTheSession() => AssertScenario("cross-site-post-refused-elevate");

    [Fact]
    public void CrossSiteFormPost_ToLogin_Returns415AndKeepsTheCookie() => AssertScenario("cross-site-login-refused");

    [Theory]
    [InlineData("logout")]
    [InlineData("elevate")]
    [InlineData("token")]
    [InlineData("sessions-revoke-others")]
    public void SiblingOriginFormPost_CookieSent_Returns403AndKeepsTheSession(string endpoint) => AssertScenario("sibling-origin-post-refused-" + endpoint);

    [Fact]
    public void SiblingOriginFormPost_ToLogin_Returns403AndKeepsTheCookie() => AssertScenario("sibling-origin-login-refused");

    [Fact]
    public void CrossSiteJsonFetch_ToLogin_IsBlockedByTheBrowserWithoutCors() => AssertScenario("cross-site-json-login-blocked");

    [Fact]
    public void StepUp_Returns200AndChangesTheCookie_AndTheOldValueGets401() => AssertScenario("step-up-rotates-cookie");

    [Fact]
    public void SignOut_Returns204_DeletesTheCookie_AndTheOldValueGets401() => AssertScenario("sign-out");

    [Fact]
    public void RevokeOneSession_FromASecondBrowser_Returns204_AndTheFirstIsSignedOut() => AssertScenario("revoke-one-session");

    private void AssertScenario(string name) => _fixture.Run.AssertPassed(name);
}
