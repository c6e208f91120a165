using System;

namespace SessionCore.Benchmarks;

/// <summary>
/// A clock that never moves: validation stays inside the renewal interval (read-only) and grace windows stay open,
/// so every iteration measures the same path.
/// </summary>
internal sealed class FixedClock : TimeProvider
{
    public static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => Now;
}
