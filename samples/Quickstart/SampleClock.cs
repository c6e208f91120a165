using System;

namespace SessionCore.Samples.Quickstart;

/// <summary>
/// The system clock plus an offset the walkthrough can move forward, so it can show what happens after a
/// window has passed without waiting for it.
/// </summary>
internal sealed class SampleClock : TimeProvider
{
    private TimeSpan _offset;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + _offset;

    public void Advance(TimeSpan by) => _offset += by;
}
