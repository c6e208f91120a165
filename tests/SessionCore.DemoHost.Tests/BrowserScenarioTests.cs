using System.Threading.Tasks;
using SessionCore.Tests.Browser;
using Xunit;

namespace SessionCore.DemoHost.Tests;

/// <summary>
/// Runs tests/js/browser-demohost.mjs once (headless Chromium through playwright-core) against a fresh DemoHost
/// and keeps each scenario's JSON line. Missing node, playwright-core or Chromium makes the tests skip.
/// </summary>
public sealed class BrowserScenarioFixture : IAsyncLifetime
{
    public BrowserScenarioRun Run { get; private set; } = BrowserScenarioRun.Skipped("the fixture did not run");

    public async ValueTask InitializeAsync()
    {
        if (BrowserScenarioRun.Missing() is { } missing)
        {
            Run = BrowserScenarioRun.Skipped(missing);
            return;
        }

        await using DemoHostProcess host = await DemoHostProcess.StartAsync();
        Run = await BrowserScenarioRun.RunAsync("browser-demohost.mjs", host.Origin, () => host.Log);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>One test per browser scenario, all from one run of the script.</summary>
public sealed class BrowserScenarioTests : IClassFixture<BrowserScenarioFixture>
{
    private readonly BrowserScenarioFixture _fixture;

    public BrowserScenarioTests(BrowserScenarioFixture fixture) => _fixture = fixture;

    [Fact]
    public void SignIn_ThroughTheForm_ShowsTheUserPage() => AssertScenario("sign-in");

    [Fact]
    public void SessionCookie_IsHttpOnlySecureStrict_AndHiddenFromScript() => AssertScenario("session-cookie-http-only");

    [Fact]
    public void SignOut_EndsTheSessionAndDeletesTheCookie() => AssertScenario("sign-out");

    [Fact]
    public void CrossSiteFormPost_ToLogout_IsRefused() => AssertScenario("cross-site-post-refused-logout");

    [Fact]
    public void CrossSiteFormPost_ToPassword_IsRefused() => AssertScenario("cross-site-post-refused-password");

    [Fact]
    public void CrossSiteFormPost_ToLogin_IsRefused() => AssertScenario("cross-site-login-refused");

    [Fact]
    public void StepUp_ChangesTheCookie_AndTheOldValueStopsWorking() => AssertScenario("step-up-rotates-cookie");

    [Fact]
    public void Screenshot_OfTheSignedInPage_IsSaved() => _fixture.Run.AssertScreenshot();

    private void AssertScenario(string name) => _fixture.Run.AssertPassed(name);
}
