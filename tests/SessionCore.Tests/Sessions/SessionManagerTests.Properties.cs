using System;
using System.Collections.Generic;
using FsCheck.Xunit;
using SessionCore.Sessions;
using SessionCore.Tests.TestSupport;
using SessionCore.Tokens;

namespace SessionCore.Tests.Sessions;

public sealed partial class SessionManagerTests
{
    private static readonly TimeSpan s_idle = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan s_absolute = TimeSpan.FromHours(4);
    private static readonly TimeSpan s_renewal = TimeSpan.FromMinutes(5);

    // Time steps clustered around the renewal interval and the idle timeout, where off-by-one bugs live.
    private static readonly TimeSpan[] s_steps =
    [
        TimeSpan.Zero, TimeSpan.FromSeconds(20), TimeSpan.FromMinutes(4) + TimeSpan.FromSeconds(59), TimeSpan.FromMinutes(5),
        TimeSpan.FromMinutes(25), TimeSpan.FromMinutes(29) + TimeSpan.FromSeconds(40), TimeSpan.FromMinutes(29) + TimeSpan.FromSeconds(59),
        TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(31), TimeSpan.FromHours(1), TimeSpan.FromHours(3),
    ];

    /// <summary>
    /// Model-based: random sequences of time steps, validations, sign-outs and regenerations, checked
    /// after every step against a model of idle, absolute and renewal rules. Once a token is dead (revoked,
    /// replaced or expired) it never validates again, and a regeneration always yields a different token
    /// and kills the old one.
    /// </summary>
    [Property(MaxTest = 300)]
    public bool Lifecycle_AnySequence_MatchesTheModelAndDeadTokensStayDead(byte[] steps)
    {
        SessionFixture f = new(o =>
        {
            o.IdleTimeout = s_idle;
            o.AbsoluteLifetime = s_absolute;
            o.RenewalInterval = s_renewal;
        });

        string current = Synchronous.Run(f.Manager.SignInAsync(new SignInRequest("alice"))).Value.Reveal();
        DateTimeOffset absoluteExpiry = f.Time.GetUtcNow() + s_absolute;
        DateTimeOffset lastWrite = f.Time.GetUtcNow();
        bool currentDead = false;
        List<string> dead = [];

        foreach (byte step in steps)
        {
            DateTimeOffset now = f.Time.GetUtcNow();
            bool expired = now >= absoluteExpiry || now >= Min(lastWrite + s_idle, absoluteExpiry);
            switch (step % 4)
            {
                case 0:
                    f.Advance(s_steps[step / 4 % s_steps.Length]);
                    break;
                case 1:
                    SessionValidationStatus expected = currentDead
                        ? SessionValidationStatus.Revoked
                        : now >= absoluteExpiry ? SessionValidationStatus.ExpiredAbsolute
                        : expired ? SessionValidationStatus.ExpiredIdle
                        : SessionValidationStatus.Valid;
                    if (Synchronous.Run(f.Manager.ValidateAsync(current)).Status != expected)
                    {
                        return false;
                    }

                    if (expected == SessionValidationStatus.Valid && now - lastWrite >= s_renewal)
                    {
                        lastWrite = now;
                    }

                    // The stored record must agree with the model: renewal writes only once per interval.
                    if (!currentDead && StoredIdleExpiry(f, current) != Min(lastWrite + s_idle, absoluteExpiry))
                    {
                        return false;
                    }

                    break;
                case 2:
                    Synchronous.Run(f.Manager.RevokeAsync(current));
                    currentDead = true;
                    break;
                default:
                    SessionRegenerationResult regenerated = Synchronous.Run(f.Manager.RegenerateAsync(current));
                    if (regenerated.IsSuccess != (!currentDead && !expired))
                    {
                        return false;
                    }

                    if (regenerated.IsSuccess)
                    {
                        string next = regenerated.Value.Reveal();
                        if (next == current || Synchronous.Run(f.Manager.ValidateAsync(current)).IsValid)
                        {
                            return false;
                        }

                        dead.Add(current);
                        current = next;
                        lastWrite = now;
                    }

                    break;
            }

            foreach (string token in dead)
            {
                if (Synchronous.Run(f.Manager.ValidateAsync(token)).IsValid)
                {
                    return false;
                }
            }
        }

        return true;
    }

    [Property(MaxTest = 100)]
    public bool Regenerate_AnyNumberOfTimes_OnlyTheNewestTokenWorks(byte times)
    {
        SessionFixture f = new();
        List<string> tokens = [Synchronous.Run(f.Manager.SignInAsync(new SignInRequest("alice"))).Value.Reveal()];
        for (int i = 0; i < times % 20; i++)
        {
            tokens.Add(Synchronous.Run(f.Manager.RegenerateAsync(tokens[^1])).Value.Reveal());
        }

        HashSet<string> distinct = new(tokens, StringComparer.Ordinal);
        for (int i = 0; i < tokens.Count; i++)
        {
            bool valid = Synchronous.Run(f.Manager.ValidateAsync(tokens[i])).IsValid;
            if (valid != (i == tokens.Count - 1))
            {
                return false;
            }
        }

        return distinct.Count == tokens.Count && Synchronous.Run(f.Manager.ListSessionsAsync("alice")).Value.Count == 1;
    }

    private static DateTimeOffset? StoredIdleExpiry(SessionFixture f, string token) =>
        SessionToken.TryParse(token, out SessionToken? parsed) ? Synchronous.Run(f.Inner.FindAsync(parsed.Id))?.IdleExpiresAt : null;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
