using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Diagnostics;
using SessionCore.Tokens;

namespace SessionCore.Samples.Quickstart;

/// <summary>
/// Writes the walkthrough as a readable transcript and checks each step as it goes: a step that does not
/// behave as the library promises stops the run with <see cref="StepFailedException"/>. Secrets are only
/// ever shown cut short.
/// </summary>
internal sealed class Transcript : ISessionEventSink
{
    private readonly TextWriter _out;
    private readonly List<SessionEvent> _pending = [];
    private readonly Lock _gate = new();

    public Transcript(TextWriter output) => _out = output;

    /// <summary>Shows the start of a secret (its type prefix and a few characters), never the whole value.</summary>
    public static string Redact(string secret) => secret.Length <= 8 ? "…" : string.Concat(secret.AsSpan(0, 8), "…");

    /// <summary>Shows the start of a session id (a SHA-256 hash of the token), enough to tell sessions apart.</summary>
    public static string Short(SessionId id) => Redact(id.ToString());

    public void Heading(string text) => _out.WriteLine(text);

    public void Step(int number, string title)
    {
        _out.WriteLine();
        _out.WriteLine($"{number}. {title}");
    }

    public void Note(string text) => _out.WriteLine("   " + text);

    public void Ok([DoesNotReturnIf(false)] bool condition, string what)
    {
        if (!condition)
        {
            _out.WriteLine("   FAILED " + what);
            throw new StepFailedException(what);
        }

        _out.WriteLine("   ok     " + what);
    }

    /// <summary>Prints the events raised since the last call and returns them, so a step can check them.</summary>
    public IReadOnlyList<SessionEvent> Events()
    {
        SessionEvent[] events;
        lock (_gate)
        {
            events = [.. _pending];
            _pending.Clear();
        }

        foreach (SessionEvent e in events)
        {
            _out.WriteLine("   event  " + Describe(e));
        }

        return events;
    }

    ValueTask ISessionEventSink.HandleAsync(SessionEvent sessionEvent, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _pending.Add(sessionEvent);
        }

        return ValueTask.CompletedTask;
    }

    private static string Describe(SessionEvent e) => e switch
    {
        NewDeviceSignIn d => $"NewDeviceSignIn user={d.UserId} session={Short(d.SessionId)} device=\"{d.UserAgentFamily}\" network={d.Network ?? "-"} changes={d.Changes}",
        RefreshTokenReuseDetected r => $"RefreshTokenReuseDetected user={r.UserId} session={Short(r.SessionId)} family={Redact(r.FamilyId.ToString())} familyAlreadyRevoked={r.FamilyWasRevoked}",
        SessionRevoked r => $"SessionRevoked user={r.UserId} session={Short(r.SessionId)} reason={r.Reason}",
        SessionCreated c => $"SessionCreated user={c.UserId} session={Short(c.SessionId)} level={c.AuthenticationLevel}",
        SessionRegenerated g => $"SessionRegenerated user={g.UserId} session={Short(g.SessionId)} replaces={Short(g.PreviousSessionId)} level={g.AuthenticationLevel}",
        _ => $"{e.GetType().Name} user={e.UserId} session={Short(e.SessionId)}",
    };
}

/// <summary>A step of the walkthrough did not behave as expected.</summary>
internal sealed class StepFailedException : Exception
{
    public StepFailedException(string message)
        : base(message)
    {
    }

    public StepFailedException()
    {
    }

    public StepFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
