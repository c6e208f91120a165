using System;
using System.Buffers.Text;
using System.Security.Cryptography;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Stores.LiteDb;
using SessionCore.Tokens;

// Usage: CrashWriter <database file>. Prints "ready", then one session id per acknowledged write, forever.
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: CrashWriter <database file>");
    return 2;
}

using LiteDbSessionStore store = new(new LiteDbSessionStoreOptions { FilePath = args[0], PurgeInterval = null });
Console.Out.WriteLine("ready");
Console.Out.Flush();
DateTimeOffset now = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
SessionRules rules = new(TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
for (long i = 0; ; i++)
{
    Session session = new()
    {
        Id = SessionId.Parse(Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32))),
        UserId = "crash-user-" + (i % 7),
        CreatedAt = now,
        LastSeenAt = now,
        AuthenticatedAt = now,
        IdleExpiresAt = now.AddHours(1),
        AbsoluteExpiresAt = now.AddHours(2),
    };

    SessionCreation creation = new() { Session = session, Rules = rules, Limit = new SessionLimit(1000, SessionLimitMode.EvictOldest), Now = now };
    SessionCreateResult result = await store.CreateAsync(creation);
    if (result.IsSuccess)
    {
        Console.Out.WriteLine(session.Id.ToString());
        Console.Out.Flush();
    }
}
