using System;
using System.Linq;
using System.Threading.Tasks;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SessionCore.Tests.Dbsc;
using Xunit;

namespace SessionCore.AspNetCore.Tests;

/// <summary>
/// Properties over the whole stack (handler, endpoints, core): a changed character anywhere in a proof or a bound
/// cookie never authenticates and never fails the server, and a refused proof never uses up the browser's challenge.
/// Each example runs against its own application.
/// </summary>
public sealed partial class DbscTests
{
    private const string Noise = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/\" ;,()\\:*%~";

    [Property(MaxTest = 40)]
    public Property Refresh_AnyChangedCharacterOfAProof_IsRefusedAndUsesNothing_Holds() =>
        Prop.ForAll(
            Gen.Choose(0, int.MaxValue).Zip(Gen.Elements(Noise.ToCharArray())).Zip(Gen.Elements(true, false)).ToArbitrary(),
            example => Task.Run(() => RefreshWithChangedProofAsync(example.Item1.Item1, example.Item1.Item2, example.Item2)).GetAwaiter().GetResult());

    [Property(MaxTest = 40)]
    public Property Request_AnyChangedCharacterOfTheBoundCookie_IsNotAuthenticated_Holds() =>
        Prop.ForAll(
            Gen.Choose(0, DbscBoundCookieLength - 1).Zip(Gen.Elements(Noise.ToCharArray())).ToArbitrary(),
            example => Task.Run(() => RequestWithChangedBoundCookieAsync(example.Item1, example.Item2)).GetAwaiter().GetResult());

    private const int DbscBoundCookieLength = 119;

    private static async Task<bool> RefreshWithChangedProofAsync(int position, char replacement, bool quoted)
    {
        await using DbscTestApp app = await DbscTestApp.StartAsync();
        using DbscSpecClient browser = app.NewBrowser();
        await SignInAsync(browser);
        SpecSession dbsc = browser.Sessions.Values.Single();
        (string, string) cookie = ("Cookie", $"{SessionCookie}={browser.Cookies.Value(SessionCookie)}");
        (string, string) sessionId = ("Sec-Secure-Session-Id", dbsc.Id);
        string challenge = await RefreshChallengeAsync(app, cookie, sessionId, dbsc.Id);
        string proof = Proof(dbsc.Key, challenge);
        int i = position % proof.Length;
        if (proof[i] == replacement)
        {
            return true; // not a change
        }

        string changed = proof[..i] + replacement + proof[(i + 1)..];
        SpecResponse refused = await app.SendRawAsync("POST", "/dbsc/refresh", cookie, sessionId, ("Secure-Session-Response", quoted ? SpecStructuredFields.SerializeBare(changed) : changed));
        SpecResponse proper = await app.SendRawAsync("POST", "/dbsc/refresh", cookie, sessionId, ("Secure-Session-Response", proof));

        return refused.Status is 400 or 403 && !refused.All("Set-Cookie").Any() && proper.Status == 200;
    }

    private static async Task<bool> RequestWithChangedBoundCookieAsync(int position, char replacement)
    {
        await using DbscTestApp app = await DbscTestApp.StartAsync();
        using DbscSpecClient browser = app.NewBrowser();
        await SignInAsync(browser);
        string bound = browser.Cookies.Value(BoundCookie)!;
        Assert.Equal(DbscBoundCookieLength, bound.Length);
        if (bound[position] == replacement)
        {
            return true; // not a change
        }

        string changed = bound[..position] + replacement + bound[(position + 1)..];
        SpecResponse response = await app.SendRawAsync("GET", "/me", ("Cookie", $"{SessionCookie}={browser.Cookies.Value(SessionCookie)}; {BoundCookie}={changed}"));

        return response.Status == 401;
    }
}
