using System;
using System.Collections.Generic;

namespace SessionCore.Samples.DemoHost.Users;

/// <summary>
/// Limits password guessing per user name: after <see cref="MaxFailures"/> failed checks within
/// <see cref="Window"/>, further attempts for that name are refused until the window has passed, before any
/// hash is computed. Shared by the sign-in form, step-up, password change and the password grant.
/// </summary>
/// <remarks>
/// Per name rather than per address, so a botnet gains nothing by rotating addresses; the price is that
/// someone can lock a known name out for a few minutes, which is acceptable for a demo and bounded by the window.
/// </remarks>
internal sealed class SignInThrottle
{
    public const int MaxFailures = 10;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);
    private const int MaxTrackedNames = 10_000;

    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private readonly Dictionary<string, (int Failures, DateTimeOffset WindowStart)> _failures = new(StringComparer.Ordinal);

    public SignInThrottle(TimeProvider time) => _time = time;

    public bool IsLockedOut(string userName)
    {
        DateTimeOffset now = _time.GetUtcNow();
        lock (_gate)
        {
            return _failures.TryGetValue(userName, out (int Failures, DateTimeOffset WindowStart) entry)
                && now - entry.WindowStart < Window
                && entry.Failures >= MaxFailures;
        }
    }

    public void RecordFailure(string userName)
    {
        DateTimeOffset now = _time.GetUtcNow();
        lock (_gate)
        {
            if (_failures.Count >= MaxTrackedNames && !_failures.ContainsKey(userName))
            {
                Prune(now);
                if (_failures.Count >= MaxTrackedNames)
                {
                    // Under a flood of made-up names, forget them all rather than grow without bound.
                    _failures.Clear();
                }
            }

            _failures[userName] = _failures.TryGetValue(userName, out (int Failures, DateTimeOffset WindowStart) entry) && now - entry.WindowStart < Window
                ? (entry.Failures + 1, entry.WindowStart)
                : (1, now);
        }
    }

    public void RecordSuccess(string userName)
    {
        lock (_gate)
        {
            _failures.Remove(userName);
        }
    }

    private void Prune(DateTimeOffset now)
    {
        List<string> expired = [];
        foreach ((string name, (int _, DateTimeOffset start)) in _failures)
        {
            if (now - start >= Window)
            {
                expired.Add(name);
            }
        }

        foreach (string name in expired)
        {
            _failures.Remove(name);
        }
    }
}
