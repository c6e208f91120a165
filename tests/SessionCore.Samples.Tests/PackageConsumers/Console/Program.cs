using System;
using System.Reflection;
using System.Threading.Tasks;
using SessionCore.Jwt;
using SessionCore.Keys;
using SessionCore.Rotation;
using SessionCore.Sessions;
using SessionCore.Stores.LiteDb;

// The life of a session on an embedded LiteDB file, through the packages alone. Every step prints one
// "step: outcome" line that PackageConsumerTests asserts; the exit code is 0 when the program ran to the end.
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: PackageConsumer <database file>");
    return 2;
}

string file = args[0];
Console.WriteLine($"core-version: {InformationalVersion(typeof(SessionManager))}");
Console.WriteLine($"litedb-version: {InformationalVersion(typeof(LiteDbSessionStore))}");

string cookie;
await using (LiteDbSessionStore store = new(new LiteDbSessionStoreOptions { FilePath = file }))
{
    SessionManager sessions = new SessionManagerBuilder { Store = store }.Build();
    using SigningKey key = SigningKey.Generate(SigningAlgorithm.Es256);
    AccessTokenBuilder tokens = new()
    {
        KeyRing = new SigningKeyRing(key),
        Options = { Issuer = "https://login.example", Audience = "https://api.example", DefaultClientId = "consumer" },
        Store = store,
    };
    AccessTokenIssuer issuer = tokens.BuildIssuer();
    AccessTokenValidator validator = tokens.BuildValidator();
    using RefreshTokenService refresh = new(sessions, new RefreshTokenOptions(), issuer);

    SignInResult signIn = await sessions.SignInAsync(new SignInRequest("alice"));
    Console.WriteLine($"sign-in: {signIn.Status}");
    cookie = signIn.Value.Reveal();
    Console.WriteLine($"validate: {(await sessions.ValidateAsync(cookie)).Status}");

    RefreshTokenResult issued = await refresh.IssueAsync(cookie);
    Console.WriteLine($"refresh-issue: {issued.Status}");
    Console.WriteLine($"access-token: {(await validator.ValidateAsync(issued.AccessToken)).Status}");
    RefreshTokenResult rotated = await refresh.RedeemAsync(issued.Value.Reveal());
    Console.WriteLine($"refresh-redeem: {rotated.Status}");
    Console.WriteLine($"refresh-rotated: {(rotated.IsSuccess && rotated.Value.Reveal() != issued.Value.Reveal() ? "new token" : "same token")}");

    Console.WriteLine($"revoke: {await sessions.RevokeAsync(cookie)}");
    Console.WriteLine($"validate-after-revoke: {(await sessions.ValidateAsync(cookie)).Status}");
    Console.WriteLine($"refresh-after-revoke: {(await refresh.RedeemAsync(rotated.Value.Reveal())).Status}");
    Console.WriteLine($"access-token-after-revoke: {(await validator.ValidateAsync(rotated.AccessToken)).Status}");
}

// The revocation is in the file, not only in memory.
await using (LiteDbSessionStore reopened = new(new LiteDbSessionStoreOptions { FilePath = file }))
{
    SessionManager sessions = new SessionManagerBuilder { Store = reopened }.Build();
    Console.WriteLine($"validate-after-reopen: {(await sessions.ValidateAsync(cookie)).Status}");
}

Console.WriteLine("done");
return 0;

static string InformationalVersion(Type type) =>
    type.Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "none";
