using System;

namespace SessionCore.Stores.Benchmarks;

/// <summary>A clock that never moves: validation stays read-only and every iteration measures the same path.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
