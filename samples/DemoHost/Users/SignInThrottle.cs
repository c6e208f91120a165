using System;
using System.Collections.Generic;
using System.Linq;

namespace SessionCore.Samples.DemoHost.Users;

/// <summary>
/// Limits password guessing per user name: after <see cref="MaxFailures"/> failed checks within
/// <see cref="Window"/>, further attempts for that name are refused until the window has passed, before any
/// hash is computed. Shared by the sign-in form, step-up, password change and the password grant.
/// </summary>
/// <remarks>
/// Per name rather than per address, so a botnet gains nothing by rotating addresses; the price is that
/// someone can lock a known name out for a few minutes, which is acceptable for a demo and bounded by the window.
/// At most <see cref="MaxTrackedNames"/> names are tracked. When the table is full, expired entries go first,
/// then the least telling live ones (fewest failures, then oldest); a locked-out name is never forgotten
/// before its window ends, so a flood of made-up names cannot lift a lockout. Should every tracked name be
/// locked out (which takes <see cref="MaxFailures"/> full-cost hash checks per name within one window), the
/// failure of a name not yet tracked is not recorded until room frees up.
/// </remarks>
internal sealed class SignInThrottle
{
    public const int MaxFailures = 10;
    public const int MaxTrackedNames = 10_000;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    // Evicting a batch at a time keeps a flood of new names from paying for a full scan on every failure.
    private const int EvictionBatch = MaxTrackedNames / 10;

    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private readonly Dictionary<string, (int Failures, DateTimeOffset WindowStart)> _failures = new(StringComparer.Ordinal);

    public SignInThrottle(TimeProvider time) => _time = time;

    /// <summary>Gets how many names are tracked now (never more than <see cref="MaxTrackedNames"/>).</summary>
    public int TrackedNames
    {
        get
        {
            lock (_gate)
            {
                return _failures.Count;
            }
        }
    }

    public bool IsLockedOut(string userName)
    {
        DateTimeOffset now = _time.GetUtcNow();
        lock (_gate)
        {
            return _failures.TryGetValue(userName, out (int Failures, DateTimeOffset WindowStart) entry) && IsLocked(entry, now);
        }
    }

    public void RecordFailure(string userName)
    {
        DateTimeOffset now = _time.GetUtcNow();
        lock (_gate)
        {
            if (_failures.TryGetValue(userName, out (int Failures, DateTimeOffset WindowStart) entry))
            {
                _failures[userName] = now - entry.WindowStart < Window ? (entry.Failures + 1, entry.WindowStart) : (1, now);
                return;
            }

            if (_failures.Count >= MaxTrackedNames && !MakeRoom(now))
            {
                return;
            }

            _failures[userName] = (1, now);
        }
    }

    public void RecordSuccess(string userName)
    {
        lock (_gate)
        {
            _failures.Remove(userName);
        }
    }

    private static bool IsLive((int Failures, DateTimeOffset WindowStart) entry, DateTimeOffset now) => now - entry.WindowStart < Window;

    private static bool IsLocked((int Failures, DateTimeOffset WindowStart) entry, DateTimeOffset now) => IsLive(entry, now) && entry.Failures >= MaxFailures;

    /// <summary>Frees at least one slot without forgetting a locked-out name; returns false when every tracked name is locked out.</summary>
    private bool MakeRoom(DateTimeOffset now)
    {
        List<string> expired = [.. _failures.Where(e => !IsLive(e.Value, now)).Select(e => e.Key)];
        foreach (string name in expired)
        {
            _failures.Remove(name);
        }

        if (_failures.Count < MaxTrackedNames)
        {
            return true;
        }

        List<string> evicted = [.. _failures
            .Where(e => !IsLocked(e.Value, now))
            .OrderBy(e => e.Value.Failures)
            .ThenBy(e => e.Value.WindowStart)
            .Take(EvictionBatch)
            .Select(e => e.Key)];
        foreach (string name in evicted)
        {
            _failures.Remove(name);
        }

        return _failures.Count < MaxTrackedNames;
    }
}
