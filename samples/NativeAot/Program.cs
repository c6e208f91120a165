using System;
using System.Diagnostics;
using System.Threading.Tasks;
using SessionCore.Jwt;
using SessionCore.Keys;
using SessionCore.Rotation;
using SessionCore.Sessions;
using SessionCore.Stores;

// The core published as a native executable: sign-in, validation, an access token, a refresh and a revocation on the
// in-memory store. Exit code 0 only when every step behaved as expected.
Stopwatch clock = Stopwatch.StartNew();
InMemorySessionStore store = new();
SessionManager sessions = new SessionManagerBuilder { Store = store }.Build();
using SigningKey key = SigningKey.Generate(SigningAlgorithm.Es256);
AccessTokenBuilder tokens = new()
{
    KeyRing = new SigningKeyRing(key),
    Options = { Issuer = "https://login.example", Audience = "https://api.example", DefaultClientId = "native" },
    Store = store,
};
AccessTokenIssuer issuer = tokens.BuildIssuer();
AccessTokenValidator validator = tokens.BuildValidator();
using RefreshTokenService refresh = new(sessions, new RefreshTokenOptions(), issuer);

SignInResult signIn = await sessions.SignInAsync(new SignInRequest("alice"));
Check(signIn.IsSuccess, "sign-in");
string cookie = signIn.Value.Reveal();
Check((await sessions.ValidateAsync(cookie)).IsValid, "validate");

RefreshTokenResult issued = await refresh.IssueAsync(cookie);
Check(issued.IsSuccess && issued.AccessToken is not null, "issue");
Check((await validator.ValidateAsync(issued.AccessToken)).IsSuccess, "access token");
RefreshTokenResult rotated = await refresh.RedeemAsync(issued.Token!.Reveal());
Check(rotated.IsSuccess, "refresh");

Check(await sessions.RevokeAsync(cookie) == SessionOperationStatus.Done, "revoke");
Check(!(await sessions.ValidateAsync(cookie)).IsValid, "revoked session refused");
Check(!(await validator.ValidateAsync(rotated.AccessToken)).IsSuccess, "revoked session's access token refused");
Console.WriteLine($"sign-in, validate, issue, refresh, revoke: ok in {clock.Elapsed.TotalMilliseconds:F1} ms");
return 0;

static void Check(bool condition, string step)
{
    if (!condition)
    {
        Console.Error.WriteLine($"native: {step} did not behave as expected");
        Environment.Exit(1);
    }
}
