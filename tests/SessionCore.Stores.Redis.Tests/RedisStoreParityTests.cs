using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Threading.Tasks;
using FsCheck;
using FsCheck.Fluent;
using SessionCore.Sessions;
using SessionCore.Tokens;
using Xunit;
using static SessionCore.Stores.Redis.Tests.Records;

namespace SessionCore.Stores.Redis.Tests;

/// <summary>
/// The scripts against the decisions they mirror: a random program of store operations runs against the Redis store and
/// against <see cref="InMemorySessionStore"/> (persistence around <see cref="StoreDecisions"/>) with the same inputs,
/// and every answer, then every record, must be the same, field by field.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RedisStoreParityTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    private static readonly string[] Users = ["alice", "bob:{x}*\u00e9"];

    // Every other operation moves the clock one tick (so that no two sessions are seen at the same instant); an advance
    // by "one minute minus a tick" after an operation therefore lands exactly on the one-minute renewal, skew and grace
    // boundaries, and "minus two ticks" one tick short of them.
    private static readonly TimeSpan[] Steps =
    [
        TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30),
        Tick(TimeSpan.FromMinutes(1), -2), Tick(TimeSpan.FromMinutes(1), -1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(20),
        Tick(TimeSpan.FromMinutes(30), -2), Tick(TimeSpan.FromMinutes(30), -1), TimeSpan.FromMinutes(31), TimeSpan.FromHours(3), TimeSpan.FromHours(13),
        Tick(TimeSpan.FromSeconds(10), -2), Tick(TimeSpan.FromSeconds(10), -1), TimeSpan.FromSeconds(10),
    ];

    private static readonly TimeSpan[] Graces = [TimeSpan.Zero, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1), TimeSpan.FromHours(1)];

    // A node whose clock lags: judged against records written "in its future", around the tolerated skew (1 minute).
    private static readonly TimeSpan[] Lags =
    [
        TimeSpan.Zero, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1) + TimeSpan.FromTicks(1), TimeSpan.FromMinutes(1) + TimeSpan.FromTicks(2), TimeSpan.FromMinutes(3),
    ];

    public enum Op
    {
        Create,
        Validate,
        Regenerate,
        Revoke,
        RevokeUser,
        List,
        Bind,
        CreateFamily,
        Redeem,
        RevokeFamily,
        RevokeEvery,
        RememberDevice,
        Advance,
        Find,
        FindFamily,
        UserState,
        Purge,
    }

    [Fact]
    public void RedisAgreesWithReferenceStore_Holds()
    {
        Assert.SkipWhen(fixture.Multiplexer is null, RedisFixture.SkipReason);
        Prop.ForAll(ProgramArbitrary.Program(), program => Run(program)).Check(Config.QuickThrowOnFailure.WithMaxTest(120));
    }

    [Fact]
    public void RedisAgreesWithReferenceStore_SignInLimitAndInvalidationScenario_Holds()
    {
        Assert.SkipWhen(fixture.Multiplexer is null, RedisFixture.SkipReason);
        Run(new StoreProgram(
        [
            new(Op.Create, 0, 1 + 9, -1), new(Op.Create, 0, 1 + 9, -1), new(Op.Create, 0, 1 + 18, 0), new(Op.Create, 0, 2, -1),
            new(Op.CreateFamily, 1, 0, 0), new(Op.Redeem, 0, 1, 0), new(Op.Advance, 1, 0, 0), new(Op.Redeem, 0, 1, 0),
            new(Op.Validate, 1, 1, 0), new(Op.Advance, 3, 0, 0), new(Op.Validate, 1, 1, 0), new(Op.Bind, 1, 0, 0), new(Op.Bind, 1, 1, 0),
            new(Op.Regenerate, 1, 3, 0), new(Op.RevokeUser, 0, 3, 4), new(Op.List, 0, 0, 0), new(Op.Redeem, 1, 2, 0),
            new(Op.Create, 0, 3, 4), new(Op.RevokeEvery, 0, 0, 0), new(Op.Validate, 5, 0, 0), new(Op.Advance, 1, 0, 0),
            new(Op.Create, 1, 9 * 2, -1), new(Op.RememberDevice, 1, 1, 1), new(Op.UserState, 1, 0, 0), new(Op.Advance, 7, 0, 0), new(Op.Purge, 0, 0, 0),
        ]));
    }

    public static TheoryData<string, StoreProgram> Boundaries() => new()
    {
        // Renewal (1 min) one tick short of, and exactly at, the interval.
        { "renewal-short", new([new(Op.Create, 0, 0, -1), new(Op.Advance, 3, 0, 0), new(Op.Validate, 0, 0, 0), new(Op.Find, 0, 0, 0)]) },
        { "renewal-at", new([new(Op.Create, 0, 0, -1), new(Op.Advance, 4, 0, 0), new(Op.Validate, 0, 0, 0), new(Op.Find, 0, 0, 0)]) },

        // Idle timeout (30 min) one tick short of, and exactly at, the limit.
        { "idle-short", new([new(Op.Create, 0, 0, -1), new(Op.Advance, 7, 0, 0), new(Op.Validate, 0, 1, 0)]) },
        { "idle-at", new([new(Op.Create, 0, 0, -1), new(Op.Advance, 8, 0, 0), new(Op.Validate, 0, 1, 0)]) },

        // A record written under a laxer configuration (stored idle expiry 2 h): the configured 30 min still bind.
        { "idle-rule-short", new([new(Op.Create, 0, 108, -1), new(Op.Advance, 7, 0, 0), new(Op.Validate, 0, 1, 0)]) },
        { "idle-rule-at", new([new(Op.Create, 0, 108, -1), new(Op.Advance, 8, 0, 0), new(Op.Validate, 0, 1, 0)]) },

        // Grace window (10 s) exactly at, and one tick past, the window.
        { "grace-at", new([new(Op.Create, 0, 0, -1), new(Op.CreateFamily, 0, 0, 0), new(Op.Redeem, 0, 1, 0), new(Op.Advance, 13, 0, 0), new(Op.Redeem, 0, 1, 0)]) },
        { "grace-past", new([new(Op.Create, 0, 0, -1), new(Op.CreateFamily, 0, 0, 0), new(Op.Redeem, 0, 1, 0), new(Op.Advance, 14, 0, 0), new(Op.Redeem, 0, 1, 0)]) },

        // A lagging node: the rotation lies exactly at, and one tick beyond, the tolerated skew ahead.
        { "retry-at-skew", new([new(Op.Create, 0, 0, -1), new(Op.CreateFamily, 0, 0, 0), new(Op.Redeem, 0, 1, 0), new(Op.Redeem, 0, 1, 10)]) },
        { "retry-past-skew", new([new(Op.Create, 0, 0, -1), new(Op.CreateFamily, 0, 0, 0), new(Op.Redeem, 0, 1, 0), new(Op.Redeem, 0, 1, 15)]) },

        // A session seen exactly at, and one tick beyond, the tolerated skew ahead of a lagging validator.
        { "session-at-skew", new([new(Op.Create, 0, 0, -1), new(Op.Validate, 0, 5, 0)]) },
        { "session-past-skew", new([new(Op.Create, 0, 0, -1), new(Op.Validate, 0, 7, 0)]) },
    };

    [Theory]
    [MemberData(nameof(Boundaries))]
    public void RedisAgreesWithReferenceStore_AtEveryBoundary_Holds(string name, StoreProgram program)
    {
        Assert.SkipWhen(fixture.Multiplexer is null, RedisFixture.SkipReason);
        Assert.NotNull(name);
        Run(program);
    }

    [Fact]
    public void RedisAgreesWithReferenceStore_SeventyRotationsThenReplays_Holds()
    {
        Assert.SkipWhen(fixture.Multiplexer is null, RedisFixture.SkipReason);
        List<Command> commands = [new(Op.Create, 0, 0, -1), new(Op.CreateFamily, 0, 0, 0)];
        for (int i = 0; i < 70; i++)
        {
            commands.Add(new(Op.Redeem, i, 0, 0));
        }

        // 70 rotations: hash 70 is current, 69 previous, 5..68 the 64 spent ones remembered; 0..4 are forgotten (unknown,
        // revoking nothing), 5 is the oldest still recognised as reuse.
        commands.AddRange(
        [
            new(Op.FindFamily, 4, 0, 0), new(Op.Redeem, 4, 0, 0), new(Op.Validate, 0, 0, 0),
            new(Op.FindFamily, 5, 0, 0), new(Op.Redeem, 5, 0, 0), new(Op.Validate, 0, 0, 0),
        ]);
        Run(new StoreProgram(commands));
    }

    private void Run(StoreProgram program)
    {
        using RedisSessionStore redis = fixture.CreateStore();
        InMemorySessionStore memory = new();
        World world = new();
        int index = 0;
        foreach (Command command in program.Commands)
        {
            Func<ISessionStore, ValueTask<string>> step = Prepare(command, world, memory);
            string expected = Complete(step(memory));
            string actual = Complete(step(redis));
            Assert.True(expected == actual, $"Step {index} ({command}) of [{program}]\nreference: {expected}\nredis:     {actual}");
            if (command.Op != Op.Advance)
            {
                world.Now += TimeSpan.FromTicks(1);
            }

            index++;
        }

        // Every record, as each store now holds it.
        foreach (SessionId id in world.Sessions)
        {
            Assert.Equal(Canonical.Of(Complete(memory.FindAsync(id))), Canonical.Of(Complete(redis.FindAsync(id))));
        }

        foreach (RefreshTokenHash hash in world.Hashes)
        {
            Assert.Equal(Canonical.Of(Complete(memory.FindRefreshFamilyByTokenAsync(hash))), Canonical.Of(Complete(redis.FindRefreshFamilyByTokenAsync(hash))));
        }

        foreach (string user in Users)
        {
            Assert.Equal(Canonical.Of(Complete(memory.GetUserSecurityStateAsync(user))), Canonical.Of(Complete(redis.GetUserSecurityStateAsync(user))));
            Assert.Equal(Complete(memory.GetSecurityEpochAsync(user)), Complete(redis.GetSecurityEpochAsync(user)));
        }
    }

    /// <summary>Draws the operation's inputs once, so both stores get exactly the same call.</summary>
    private static Func<ISessionStore, ValueTask<string>> Prepare(Command c, World w, InMemorySessionStore reference)
    {
        DateTimeOffset now = w.Now;
        switch (c.Op)
        {
            case Op.Create:
            {
                string user = Users[c.A % Users.Length];
                int variant = c.B;
                SessionLimit limit = (variant % 3) switch
                {
                    1 => new SessionLimit(2, SessionLimitMode.EvictOldest),
                    2 => new SessionLimit(2, SessionLimitMode.RejectNew),
                    _ => SessionLimit.None,
                };
                long epoch = Complete(reference.GetSecurityEpochAsync(user));
                long? expected = (variant / 3 % 3) switch { 1 => epoch, 2 => epoch - 1, _ => null };
                int device = variant / 9 % 4;
                DateTimeOffset created = variant / 36 % 5 == 4 ? now.AddMinutes(2) : now;
                Session session = NewSession(user, created, idle: variant / 36 % 5 == 3 ? TimeSpan.FromHours(2) : null) with
                {
                    AuthenticationMethods = variant % 2 == 0 ? ["pwd", "otp"] : [],
                    Device = device == 0 ? null : new SessionDevice("agent " + device, null, "dev" + device),
                };
                if (variant % 4 == 1)
                {
                    session = session with { Data = new Dictionary<string, string> { ["tenant"] = "acme", ["d:x"] = "{}" } };
                }

                w.Sessions.Add(session.Id);
                SessionCreation creation = new()
                {
                    Session = session,
                    Rules = Rules,
                    Limit = limit,
                    ExpectedSecurityEpoch = expected,
                    PresentedId = c.C < 0 ? null : w.Session(c.C),
                    Device = device == 0 ? null : Device(device, now),
                    MaxDevices = 2,
                    Now = now,
                };
                return async store => Canonical.Of(await store.CreateAsync(creation));
            }

            case Op.Validate:
            {
                SessionId id = w.Session(c.A);
                bool touch = c.B % 2 == 0;
                DateTimeOffset at = now - Lags[c.B / 2 % Lags.Length];
                return async store => Canonical.Of(await store.ValidateAsync(id, Rules, at, touch));
            }

            case Op.Regenerate:
            {
                SessionRegeneration regeneration = new() { CurrentId = w.Session(c.A), Replacement = Replacement(c.B, w), Rules = Rules, Now = now };
                return async store => Canonical.Of(await store.RegenerateAsync(regeneration));
            }

            case Op.Revoke:
            {
                SessionId id = w.Session(c.A);
                string? user = (c.B % 3) switch { 1 => Users[0], 2 => Users[1], _ => null };
                RevocationReason reason = (RevocationReason)(c.C % 9);
                return async store => Canonical.Of(await store.RevokeAsync(id, user, reason, now));
            }

            case Op.RevokeUser:
            {
                string user = Users[c.A % Users.Length];
                int mode = c.B % 5;
                UserRevocation revocation = Revocation(user, now, (RevocationReason)(c.C % 9)) with
                {
                    AdvanceEpoch = mode is 2 or 3,
                    Except = mode == 1 ? w.Session(c.C) : null,
                    Keep = mode is 3 or 4 ? (w.Session(c.C), Replacement(c.C, w)) : null,
                };
                return async store => Canonical.Of(await store.RevokeUserSessionsAsync(revocation));
            }

            case Op.List:
            {
                string user = Users[c.A % Users.Length];
                return async store => Canonical.Of(await store.ListUserSessionsAsync(user, Rules, now));
            }

            case Op.Bind:
            {
                SessionId id = w.Session(c.A);
                SessionKeyBinding binding = new("thumb-" + (c.B % 2), "{\"kty\":\"EC\",\"n\":" + (c.B % 2) + "}", now);
                return async store => Canonical.Of(await store.BindKeyAsync(id, binding, Rules, now));
            }

            case Op.CreateFamily:
            {
                RefreshFamilyCreation creation = FamilyCreation(w.Session(c.A), now) with
                {
                    Lifetime = TimeSpan.FromHours(6),
                    IdleLifetime = TimeSpan.FromMinutes(20),
                    ClientId = c.B % 2 == 1 ? "client-1" : null,
                    KeyThumbprint = c.B % 4 >= 2 ? "jkt-A" : null,
                };
                w.Hashes.Add(creation.TokenHash);
                return async store => Canonical.Of(await store.CreateRefreshFamilyAsync(creation));
            }

            case Op.Redeem:
            {
                DateTimeOffset at = now - Lags[c.C / 5 % Lags.Length];
                RefreshRedemption redemption = Redeem(w.Hash(c.A), at, Graces[c.B % Graces.Length]) with
                {
                    SuccessorIdleExpiresAt = at + TimeSpan.FromMinutes(20),
                    SealedSuccessor = c.C % 5 == 4 ? ReadOnlyMemory<byte>.Empty : RandomNumberGenerator.GetBytes(40),
                    ClientId = (c.C % 5) is 1 or 3 ? "client-1" : null,
                    ProofKeyThumbprint = (c.C % 5) switch { 2 or 3 => "jkt-A", 4 => "jkt-B", _ => null },
                };
                w.Hashes.Add(redemption.SuccessorTokenHash);
                return async store => Canonical.Of(await store.RedeemRefreshTokenAsync(redemption));
            }

            case Op.RevokeFamily:
            {
                RefreshTokenHash hash = w.Hash(c.A);
                return async store => Canonical.Of(await store.RevokeRefreshFamilyAsync(hash, RevocationReason.Logout, now));
            }

            case Op.RevokeEvery:
                return async store => (await store.RevokeEverySessionAsync(now)).UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture);

            case Op.RememberDevice:
            {
                string user = Users[c.A % Users.Length];
                KnownDevice device = Device(1 + (c.B % 3), now);
                int max = 1 + (c.C % 3);
                return async store => (await store.RememberDeviceAsync(user, device, max)).ToString();
            }

            case Op.Advance:
                w.Now += Steps[c.A % Steps.Length];
                return _ => ValueTask.FromResult("advanced");

            case Op.Find:
            {
                SessionId id = w.Session(c.A);
                return async store => Canonical.Of(await store.FindAsync(id));
            }

            case Op.FindFamily:
            {
                RefreshTokenHash hash = w.Hash(c.A);
                return async store => Canonical.Of(await store.FindRefreshFamilyByTokenAsync(hash));
            }

            case Op.UserState:
            {
                string user = Users[c.A % Users.Length];
                return async store => Canonical.Of(await store.GetUserSecurityStateAsync(user));
            }

            case Op.Purge:
                return async store => (await store.PurgeExpiredAsync(now)).ToString(System.Globalization.CultureInfo.InvariantCulture);

            default:
                throw new ArgumentOutOfRangeException(nameof(c));
        }
    }

    private static SessionReplacement Replacement(int variant, World w)
    {
        SessionId id = NewId();
        w.Sessions.Add(id);
        return new SessionReplacement
        {
            NewId = id,
            Reauthenticated = variant % 2 == 1,
            AuthenticationLevel = variant % 3 == 1 ? 2 : null,
            AuthenticationMethods = variant % 4 == 2 ? ["hwk"] : variant % 4 == 3 ? [] : null,
            Data = variant % 5 == 1 ? new Dictionary<string, string> { ["step"] = "up" } : variant % 5 == 2 ? new Dictionary<string, string>() : null,
        };
    }

    private static TimeSpan Tick(TimeSpan span, int ticks) => span + TimeSpan.FromTicks(ticks);

    private static KnownDevice Device(int n, DateTimeOffset now) => new("k" + n, n == 2 ? null : "dh" + n, "Firefox " + n, n == 3 ? null : "198.51.100.0/24", now, now);

    private static T Complete<T>(ValueTask<T> pending) => pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();

    public sealed record Command(Op Op, int A, int B, int C)
    {
        public override string ToString() => $"{Op}({A},{B},{C})";
    }

    public sealed record StoreProgram(IReadOnlyList<Command> Commands)
    {
        public override string ToString() => string.Join(", ", Commands);
    }

    public static class ProgramArbitrary
    {
        public static Arbitrary<StoreProgram> Program()
        {
            Gen<int> small = Gen.Choose(0, 80);
            Gen<Command> command = Gen.Frequency(
                (6, Args(Op.Create, Gen.Choose(-1, 6))),
                (5, Args(Op.Validate, small)),
                (2, Args(Op.Regenerate, small)),
                (2, Args(Op.Revoke, small)),
                (2, Args(Op.RevokeUser, small)),
                (1, Args(Op.List, small)),
                (2, Args(Op.Bind, small)),
                (4, Args(Op.CreateFamily, small)),
                (8, Args(Op.Redeem, small)),
                (1, Args(Op.RevokeFamily, small)),
                (1, Args(Op.RevokeEvery, small)),
                (1, Args(Op.RememberDevice, small)),
                (5, Args(Op.Advance, small)),
                (1, Args(Op.Find, small)),
                (1, Args(Op.FindFamily, small)),
                (1, Args(Op.UserState, small)),
                (1, Args(Op.Purge, small)));
            return Arb.From(Gen.ListOf(command).Select(list => new StoreProgram([.. list])), Shrink);

            static Gen<Command> Args(Op op, Gen<int> third) =>
                Gen.Choose(0, 80).Zip(Gen.Choose(0, 200), (a, b) => (a, b)).Zip(third, (ab, c) => new Command(op, ab.a, ab.b, c));
        }

        private static IEnumerable<StoreProgram> Shrink(StoreProgram program)
        {
            for (int i = 0; i < program.Commands.Count; i++)
            {
                yield return program with { Commands = [.. program.Commands.Take(i), .. program.Commands.Skip(i + 1)] };
            }
        }
    }

    /// <summary>What the program has made so far: identifiers and hashes to pick from, and the clock.</summary>
    private sealed class World
    {
        public DateTimeOffset Now { get; set; } = Start;

        public List<SessionId> Sessions { get; } = [];

        public List<RefreshTokenHash> Hashes { get; } = [];

        public SessionId Session(int index) => Sessions.Count == 0 ? NewId() : Sessions[index % Sessions.Count];

        public RefreshTokenHash Hash(int index) => Hashes.Count == 0 ? NewHash() : Hashes[index % Hashes.Count];
    }
}
