using System;

namespace SessionCore.Fuzz;

/// <summary>One harness: a parser of untrusted input, the exceptions its contract allows, and the name the command line selects it by.</summary>
public sealed class FuzzTarget
{
    private readonly Action<byte[]> _body;
    private readonly Func<Exception, bool> _allowed;

    internal FuzzTarget(string name, string description, Action<byte[]> body, Func<Exception, bool> allowed, bool isolated = false)
    {
        Isolated = isolated;
        Name = name;
        Description = description;
        _body = body;
        _allowed = allowed;
    }

    /// <summary>Gets the name used on the command line and as the corpus folder.</summary>
    public string Name { get; }

    /// <summary>Gets a value indicating whether the fuzzer runs this target in a child process, because its input reaches code that may end the process.</summary>
    public bool Isolated { get; }

    /// <summary>Gets what the target feeds its input to.</summary>
    public string Description { get; }

    /// <summary>Feeds one input to the parser; throws if the parser throws (or swallows) an exception its contract does not allow, or breaks an invariant.</summary>
    public void Run(byte[] input) => ExceptionMonitor.Run(input, _body, _allowed);

    /// <inheritdoc/>
    public override string ToString() => Name;
}
