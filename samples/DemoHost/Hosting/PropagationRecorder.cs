using System;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Threading;
using SessionCore.Diagnostics;

namespace SessionCore.Samples.DemoHost.Hosting;

/// <summary>
/// Keeps the last 10,000 values of the library's revocation propagation histogram (change in the store → this node
/// applying the invalidation), so <c>/api/node</c> can report them; an operator would export the meter instead.
/// </summary>
internal sealed class PropagationRecorder : IDisposable
{
    private const int Capacity = 10_000;
    private readonly MeterListener _listener = new();
    private readonly Lock _gate = new();
    private readonly Queue<double> _values = new();

    public PropagationRecorder()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == SessionCoreTelemetry.Name && instrument.Name == "sessioncore.invalidations.propagation")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, value, _, _) =>
        {
            lock (_gate)
            {
                if (_values.Count == Capacity)
                {
                    _values.Dequeue();
                }

                _values.Enqueue(value);
            }
        });
        _listener.Start();
    }

    /// <summary>The recorded values, oldest first.</summary>
    public double[] Snapshot()
    {
        lock (_gate)
        {
            return [.. _values];
        }
    }

    public void Dispose() => _listener.Dispose();
}
