using System;
using System.Collections.Generic;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SessionCore.Diagnostics;
using SessionCore.Rotation;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.Tests.Rotation;

/// <summary>
/// Model-based tests: a random program of commands runs against the real service (in-memory store, fake
/// clock) and against a small reference model; after every step the store's family records and each
/// outcome must equal the model's, and the rotation invariants must hold. Some families are bound to a DPoP key: the
/// rightful client redeems with a proof by it, a thief presents any token of the family (in or out of the grace window)
/// with no key or another key, and must change nothing at all.
/// </summary>
public sealed class RefreshRotationModelTests
{
    private const int Sessions = 3;
    private static readonly TimeSpan FamilyLifetime = TimeSpan.FromHours(1);
    private static readonly TimeSpan IdleLifetime = TimeSpan.FromMinutes(10);

    // Two client keys (RFC 7638 thumbprints) and a thief's; a family is bound to one of the first two or to none.
    private static readonly string?[] Keys = [null, Thumbprint("client-key-0"), Thumbprint("client-key-1"), Thumbprint("thief-key")];

    private static readonly TimeSpan[] Steps =
    [
        TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(11),
        TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(11), TimeSpan.FromMinutes(61),
    ];

    public enum Op
    {
        Issue,
        Redeem,
        RedeemForeign,
        RedeemMalformed,
        RedeemThief,
        Advance,
        RevokeFamily,
        RevokeSession,
    }

    [Property(MaxTest = 300, Arbitrary = [typeof(ProgramArbitrary)])]
    public void RotationMatchesModel_Holds(RotationProgram program) => Run(program);

    [Fact]
    public void RotationMatchesModel_RetryThenReuseScenario_Holds() => Run(new RotationProgram(
        GraceSeconds: 10,
        [
            new(Op.Issue, 0, 0), new(Op.Redeem, 0, 0), new(Op.Redeem, 0, 1), new(Op.Advance, 3, 0), new(Op.Redeem, 0, 1),
            new(Op.Advance, 4, 0), new(Op.Redeem, 0, 1), new(Op.Redeem, 0, 0), new(Op.Issue, 0, 0), new(Op.Issue, 1, 0),
            new(Op.Advance, 9, 0), new(Op.Redeem, 2, 0), new(Op.Redeem, 2, 2),
        ]));

    [Fact]
    public void RotationMatchesModel_ThiefOfBoundFamilyScenario_Holds() => Run(new RotationProgram(
        GraceSeconds: 10,
        [
            // Family 0 bound to key 1; the thief tries the current token, then the previous one inside the grace window,
            // then (after the window) the spent one that would be reuse, and a revoked family's token; never a change.
            new(Op.Issue, 0, 1), new(Op.RedeemThief, 0, 0), new(Op.Redeem, 0, 0), new(Op.RedeemThief, 0, 1),
            new(Op.RedeemThief, 0, 5), new(Op.Advance, 4, 0), new(Op.RedeemThief, 0, 1), new(Op.RedeemThief, 0, 9),
            new(Op.Redeem, 0, 0), new(Op.Redeem, 0, 1), new(Op.RevokeFamily, 0, 0), new(Op.RedeemThief, 0, 0),
            new(Op.Issue, 1, 0), new(Op.RedeemThief, 1, 4),
        ]));

    private static void Run(RotationProgram program)
    {
        using RotationHarness h = new(new RefreshTokenOptions
        {
            FamilyLifetime = FamilyLifetime,
            IdleLifetime = IdleLifetime,
            GraceWindow = TimeSpan.FromSeconds(program.GraceSeconds),
        });
        Model model = new(h.Time.GetUtcNow(), TimeSpan.FromSeconds(program.GraceSeconds));
        for (int s = 0; s < Sessions; s++)
        {
            (SessionToken token, _) = h.SignInAsync("user" + s).GetAwaiter().GetResult();
            model.Sessions.Add(new ModelSession(token));
        }

        int step = 0;
        foreach (Command command in program.Commands)
        {
            try
            {
                Execute(h, model, command);
                CheckAgainstModel(h, model);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                throw new InvalidOperationException($"Step {step} ({command}) of {program} failed: {ex.Message}", ex);
            }

            step++;
        }
    }

    private static void Execute(RotationHarness h, Model model, Command command)
    {
        switch (command.Op)
        {
            case Op.Issue:
            {
                ModelSession session = model.Sessions[command.A % Sessions];
                string? key = Keys[command.B % 3];
                RefreshTokenResult result = Done(h.Service.IssueAsync(session.Token, new RefreshTokenBinding(KeyThumbprint: key)));
                if (session.Revoked)
                {
                    Assert.Equal(RefreshTokenStatus.SessionNotLive, result.Status);
                    return;
                }

                Assert.Equal(RefreshTokenStatus.Issued, result.Status);
                DateTimeOffset absolute = model.Now + FamilyLifetime;
                model.Families.Add(new ModelFamily(session, result.Value, absolute, Min(model.Now + IdleLifetime, absolute), key));
                return;
            }

            case Op.Redeem when model.Families.Count > 0:
            {
                ModelFamily family = model.Families[command.A % model.Families.Count];
                int index = Math.Max(0, family.Generation - (command.B % 4));
                RefreshToken presented = family.Tokens[index];
                RefreshTokenResult result = Done(h.Service.RedeemAsync(presented.Reveal(), new RefreshTokenBinding(KeyThumbprint: family.Key)));
                RedeemAsRightful(model, family, presented, result);
                return;
            }

            case Op.RedeemThief when model.Families.Count > 0:
            {
                // Any token the family ever had, with no proof or a proof by a key that is not the family's.
                ModelFamily family = model.Families[command.A % model.Families.Count];
                RefreshToken presented = family.Tokens[Math.Max(0, family.Generation - (command.B % 4))];
                string? thiefKey = Keys[(command.B / 4) % Keys.Length];
                if (thiefKey == family.Key)
                {
                    thiefKey = Keys[3];
                }

                RefreshTokenResult result = Done(h.Service.RedeemAsync(presented.Reveal(), new RefreshTokenBinding(KeyThumbprint: thiefKey)));
                if (family.Key is not null)
                {
                    // A bound family: refused before anything is decided. No successor, no grace copy, no revocation;
                    // CheckAgainstModel then proves the store and the events unchanged.
                    Assert.Equal(RefreshTokenStatus.BindingMismatch, result.Status);
                    Assert.Null(result.Token);
                    Assert.Null(result.AccessToken);
                    return;
                }

                // An unbound family cannot tell a thief from its client: the proof's key is ignored.
                RedeemAsRightful(model, family, presented, result);
                return;
            }

            case Op.Redeem:
            case Op.RedeemThief:
            case Op.RedeemForeign:
            {
                RefreshTokenResult result = Done(h.Service.RedeemAsync(RefreshToken.Mint(TokenSource.System).Reveal()));
                Assert.Equal(RefreshTokenStatus.NotFound, result.Status);
                return;
            }

            case Op.RedeemMalformed:
            {
                string[] junk = ["", " ", "scr_", "sc_" + new string('A', 43), "a.b.c", new string('x', 5000)];
                string text = junk[command.A % junk.Length];
                if (model.Families.Count > 0)
                {
                    string real = model.Families[command.B % model.Families.Count].Current.Reveal();
                    junk = [.. junk, real[..^1], real + "A", " " + real, "SCR_" + real[4..]];
                    text = junk[command.A % junk.Length];
                }

                Assert.Equal(RefreshTokenStatus.Malformed, Done(h.Service.RedeemAsync(text)).Status);
                return;
            }

            case Op.Advance:
            {
                TimeSpan step = Steps[command.A % Steps.Length];
                h.Time.Advance(step);
                model.Now += step;
                return;
            }

            case Op.RevokeFamily when model.Families.Count > 0:
            {
                ModelFamily family = model.Families[command.A % model.Families.Count];
                int index = Math.Max(0, family.Generation - (command.B % 3));
                SessionOperationStatus status = Done(h.Service.RevokeAsync(family.Tokens[index].Reveal()));
                Assert.Equal(family.Revoked ? SessionOperationStatus.NothingToDo : SessionOperationStatus.Done, status);
                family.Revoked = true;
                return;
            }

            case Op.RevokeSession:
            {
                ModelSession session = model.Sessions[command.A % Sessions];
                SessionOperationStatus status = Done(h.Manager.RevokeAsync(session.Token.Id));
                Assert.Equal(session.Revoked ? SessionOperationStatus.NothingToDo : SessionOperationStatus.Done, status);
                model.RevokeSession(session);
                return;
            }

            default:
                return;
        }
    }

    private static void RedeemAsRightful(Model model, ModelFamily family, RefreshToken presented, RefreshTokenResult result)
    {
        RefreshTokenStatus expected = model.Predict(family, family.Tokens.IndexOf(presented));
        Assert.Equal(expected, result.Status);
        switch (expected)
        {
            case RefreshTokenStatus.Rotated:
                Assert.DoesNotContain(family.Tokens, t => t.Reveal() == result.Value.Reveal());
                family.Rotate(result.Value, model.Now, IdleLifetime);
                Assert.Equal(family.Session.Token.Id, result.Session!.Id);
                break;
            case RefreshTokenStatus.GraceRetry:
                Assert.Equal(family.Current.Reveal(), result.Value.Reveal());
                break;
            case RefreshTokenStatus.Reused:
                Assert.Null(result.Token);
                model.Reuse(family);
                break;
            default:
                Assert.Null(result.Token);
                break;
        }
    }

    private static string Thumbprint(string seed) =>
        Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(seed))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static void CheckAgainstModel(RotationHarness h, Model model)
    {
        HashSet<RefreshTokenHash> allHashes = [];
        foreach (ModelFamily family in model.Families)
        {
            RefreshFamily record = h.FamilyAsync(family.Current.Hash).GetAwaiter().GetResult()
                ?? throw new InvalidOperationException("A family disappeared.");

            // Observable state equals the model.
            Assert.Equal(family.Generation, record.Generation);
            Assert.Equal(family.Current.Hash, record.CurrentTokenHash);
            Assert.Equal(family.Revoked, record.IsRevoked);
            Assert.Equal(family.Key, record.KeyThumbprint);
            Assert.Equal(family.Session.Token.Id, record.SessionId);
            Assert.Equal(family.Absolute, record.AbsoluteExpiresAt);
            Assert.Equal(family.IdleExpires, record.CurrentIdleExpiresAt);
            Assert.Equal(family.Generation > 0 ? family.Tokens[^2].Hash : null, record.PreviousTokenHash);
            Assert.Equal(family.Tokens.Take(Math.Max(0, family.Generation - 1)).TakeLast(RefreshFamily.SpentTokenCapacity).Select(t => t.Hash), record.SpentTokenHashes);

            // Invariant 1: one active token; every token of the family is distinct; every remembered one is known to this
            // family alone, and a forgotten one (beyond the spent-token capacity) to none.
            for (int i = 0; i < family.Tokens.Count; i++)
            {
                RefreshToken token = family.Tokens[i];
                Assert.True(allHashes.Add(token.Hash));
                bool remembered = i >= family.Tokens.Count - (RefreshFamily.SpentTokenCapacity + 2);
                Assert.Equal(remembered ? record.FamilyId : null, h.FamilyAsync(token.Hash).GetAwaiter().GetResult()?.FamilyId);
            }

            // Invariants 4 and 5: revoked is terminal and leaves nothing to unseal.
            if (record.IsRevoked)
            {
                Assert.True(record.SealedCurrentToken.IsEmpty);
            }

            // Invariant 5: no token outlives the family's absolute lifetime.
            Assert.True(record.CurrentIdleExpiresAt <= record.AbsoluteExpiresAt);
        }

        // Invariant 6: a revoked session has only revoked families.
        foreach (ModelSession session in model.Sessions)
        {
            Session stored = Done(h.Store.FindAsync(session.Token.Id))!;
            Assert.Equal(session.Revoked, stored.IsRevoked);
            if (session.Revoked)
            {
                Assert.All(model.Families.Where(f => f.Session == session), f => Assert.True(f.Revoked));
            }
        }

        // Invariant 4: one reuse event per detected reuse, naming the right family and session.
        IReadOnlyList<RefreshTokenReuseDetected> events = h.Events.Reuses;
        Assert.Equal(model.ReuseEvents.Count, events.Count);
        for (int i = 0; i < events.Count; i++)
        {
            Assert.Equal(model.ReuseEvents[i].Session.Token.Id, events[i].SessionId);
            Assert.Equal(h.FamilyAsync(model.ReuseEvents[i].Current.Hash).GetAwaiter().GetResult()!.FamilyId, events[i].FamilyId);
        }
    }

    // The in-memory store completes synchronously, so the whole service does too; insist on it.
    private static T Done<T>(System.Threading.Tasks.ValueTask<T> task)
    {
        Assert.True(task.IsCompleted);
        return task.Result;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    public sealed record Command(Op Op, int A, int B);

    public sealed record RotationProgram(int GraceSeconds, IReadOnlyList<Command> Commands)
    {
        public override string ToString() => $"grace {GraceSeconds}s: [{string.Join(", ", Commands.Select(c => $"{c.Op}({c.A},{c.B})"))}]";
    }

    public static class ProgramArbitrary
    {
        public static Arbitrary<RotationProgram> Program()
        {
            Gen<Command> command = Gen.Frequency(
                (3, Gen.Choose(0, 9).Zip(Gen.Choose(0, 8), (a, b) => new Command(Op.Issue, a, b))),
                (8, Gen.Choose(0, 9).Zip(Gen.Choose(0, 9), (a, b) => new Command(Op.Redeem, a, b))),
                (1, Gen.Constant(new Command(Op.RedeemForeign, 0, 0))),
                (1, Gen.Choose(0, 20).Zip(Gen.Choose(0, 9), (a, b) => new Command(Op.RedeemMalformed, a, b))),
                (4, Gen.Choose(0, 9).Zip(Gen.Choose(0, 15), (a, b) => new Command(Op.RedeemThief, a, b))),
                (5, Gen.Choose(0, Steps.Length - 1).Select(a => new Command(Op.Advance, a, 0))),
                (1, Gen.Choose(0, 9).Zip(Gen.Choose(0, 9), (a, b) => new Command(Op.RevokeFamily, a, b))),
                (1, Gen.Choose(0, 9).Select(a => new Command(Op.RevokeSession, a, 0))));
            Gen<RotationProgram> program = Gen.Elements(0, 10, 60).Zip(
                command.ListOf().Select(list => (IReadOnlyList<Command>)[.. list]),
                (grace, commands) => new RotationProgram(grace, commands));
            return Arb.From(program, Shrink);
        }

        private static IEnumerable<RotationProgram> Shrink(RotationProgram program)
        {
            for (int i = 0; i < program.Commands.Count; i++)
            {
                yield return program with { Commands = [.. program.Commands.Take(i), .. program.Commands.Skip(i + 1)] };
            }
        }
    }

    private sealed class ModelSession(SessionToken token)
    {
        public SessionToken Token { get; } = token;

        public bool Revoked { get; set; }
    }

    private sealed class ModelFamily(ModelSession session, RefreshToken first, DateTimeOffset absolute, DateTimeOffset idleExpires, string? key)
    {
        public string? Key { get; } = key;

        public ModelSession Session { get; } = session;

        public List<RefreshToken> Tokens { get; } = [first];

        public int Generation => Tokens.Count - 1;

        public RefreshToken Current => Tokens[^1];

        public DateTimeOffset Absolute { get; } = absolute;

        public DateTimeOffset IdleExpires { get; private set; } = idleExpires;

        public DateTimeOffset? RotatedAt { get; private set; }

        public bool Revoked { get; set; }

        public void Rotate(RefreshToken successor, DateTimeOffset now, TimeSpan idle)
        {
            Tokens.Add(successor);
            RotatedAt = now;
            IdleExpires = Min(now + idle, Absolute);
        }
    }

    private sealed class Model(DateTimeOffset now, TimeSpan grace)
    {
        public DateTimeOffset Now { get; set; } = now;

        public TimeSpan Grace { get; } = grace;

        public List<ModelSession> Sessions { get; } = [];

        public List<ModelFamily> Families { get; } = [];

        public List<ModelFamily> ReuseEvents { get; } = [];

        /// <summary>The reference semantics of a redemption, straight from the design's state machine.</summary>
        public RefreshTokenStatus Predict(ModelFamily family, int index)
        {
            if (family.Revoked)
            {
                return RefreshTokenStatus.Reused;
            }

            if (index == family.Generation)
            {
                return Now >= family.IdleExpires || Now >= family.Absolute ? RefreshTokenStatus.Expired : RefreshTokenStatus.Rotated;
            }

            if (Now >= family.Absolute)
            {
                return RefreshTokenStatus.Expired;
            }

            bool inGrace = index == family.Generation - 1 && Grace > TimeSpan.Zero && Now - family.RotatedAt!.Value <= Grace;
            if (!inGrace)
            {
                return RefreshTokenStatus.Reused;
            }

            return Now >= family.IdleExpires ? RefreshTokenStatus.Expired : RefreshTokenStatus.GraceRetry;
        }

        public void Reuse(ModelFamily family)
        {
            family.Revoked = true;
            ReuseEvents.Add(family);
            RevokeSession(family.Session);
        }

        public void RevokeSession(ModelSession session)
        {
            session.Revoked = true;
            foreach (ModelFamily family in Families.Where(f => f.Session == session))
            {
                family.Revoked = true;
            }
        }
    }
}
