using System;
using System.Globalization;
using System.IO;
using SessionCore.Samples.DemoHost.Users;
using Xunit;

namespace SessionCore.DemoHost.Tests;

/// <summary>
/// The throttle's table in process: a flood of made-up names must not lift a lockout or grow memory without
/// bound, and a refused password must cost as much as a wrong one.
/// </summary>
public sealed class SignInThrottleTableTests
{
    [Fact]
    public void FloodOfNewNames_KeepsALockedOutNameLocked()
    {
        ManualClock clock = new();
        SignInThrottle throttle = new(clock);
        Fail(throttle, "bob", SignInThrottle.MaxFailures);

        for (int i = 0; i < 3 * SignInThrottle.MaxTrackedNames; i++)
        {
            throttle.RecordFailure(MadeUp(i));
        }

        Assert.True(throttle.IsLockedOut("bob"));
        Assert.True(throttle.TrackedNames <= SignInThrottle.MaxTrackedNames, $"{throttle.TrackedNames} names tracked");
    }

    [Fact]
    public void FloodOfNewNames_KeepsTheCountOfANameWithSeveralFailures()
    {
        ManualClock clock = new();
        SignInThrottle throttle = new(clock);
        Fail(throttle, "bob", SignInThrottle.MaxFailures - 1);

        for (int i = 0; i < 3 * SignInThrottle.MaxTrackedNames; i++)
        {
            throttle.RecordFailure(MadeUp(i));
        }

        Assert.False(throttle.IsLockedOut("bob"));
        throttle.RecordFailure("bob");
        Assert.True(throttle.IsLockedOut("bob"));
    }

    [Fact]
    public void FullOfLockedOutNames_StaysBoundedAndForgetsNoneUntilTheirWindowEnds()
    {
        ManualClock clock = new();
        SignInThrottle throttle = new(clock);
        for (int i = 0; i < SignInThrottle.MaxTrackedNames; i++)
        {
            Fail(throttle, MadeUp(i), SignInThrottle.MaxFailures);
        }

        Fail(throttle, "bob", SignInThrottle.MaxFailures);

        Assert.Equal(SignInThrottle.MaxTrackedNames, throttle.TrackedNames);
        Assert.True(throttle.IsLockedOut(MadeUp(0)));
        Assert.True(throttle.IsLockedOut(MadeUp(SignInThrottle.MaxTrackedNames - 1)));

        clock.Advance(SignInThrottle.Window);
        Fail(throttle, "bob", SignInThrottle.MaxFailures);

        Assert.False(throttle.IsLockedOut(MadeUp(0)));
        Assert.True(throttle.IsLockedOut("bob"));
        Assert.True(throttle.TrackedNames <= SignInThrottle.MaxTrackedNames);
    }

    [Fact]
    public void Check_OverlongPassword_CostsAsMuchAsAWrongOne()
    {
        string data = Path.Combine(Path.GetTempPath(), "sessioncore-throttle-" + Path.GetRandomFileName());
        Directory.CreateDirectory(data);
        try
        {
            UserDirectory users = new(data, new ManualClock());
            _ = users.Check("nobody", "warm-up");

            // Counted, not timed: every refusal runs exactly one full PBKDF2 derivation, as a wrong password does.
            int before = PasswordHash.DerivationsOnThisThread;
            Assert.Equal(CredentialCheck.Invalid, users.Check("alice", "wrong-password"));
            int wrong = PasswordHash.DerivationsOnThisThread - before;
            Assert.Equal(CredentialCheck.Invalid, users.Check("bob", new string('x', 300)));
            int overlong = PasswordHash.DerivationsOnThisThread - before - wrong;
            Assert.Equal(CredentialCheck.Invalid, users.Check("bob", null));
            int missing = PasswordHash.DerivationsOnThisThread - before - wrong - overlong;

            Assert.Equal(1, wrong);
            Assert.Equal(wrong, overlong);
            Assert.Equal(wrong, missing);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static string MadeUp(int i) => "made-up-" + i.ToString(CultureInfo.InvariantCulture);

    private static void Fail(SignInThrottle throttle, string name, int times)
    {
        for (int i = 0; i < times; i++)
        {
            throttle.RecordFailure(name);
        }
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
