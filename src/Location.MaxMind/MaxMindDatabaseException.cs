using System;

namespace SessionCore.Location.MaxMind;

/// <summary>
/// A MaxMind DB file is missing, unreadable, truncated, corrupt or of the wrong kind. Thrown at start-up (so a broken
/// configuration never runs with made-up data) and by an explicit <see cref="MaxMindLocationProvider.Reload"/>.
/// </summary>
/// <remarks>The message names the file and the problem; it never contains an address that was looked up.</remarks>
public sealed class MaxMindDatabaseException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="MaxMindDatabaseException"/> class.</summary>
    public MaxMindDatabaseException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MaxMindDatabaseException"/> class with a message.</summary>
    /// <param name="message">The message.</param>
    public MaxMindDatabaseException(string? message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MaxMindDatabaseException"/> class with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public MaxMindDatabaseException(string? message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="MaxMindDatabaseException"/> class for a file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="problem">What is wrong with it.</param>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause, or <see langword="null"/>.</param>
    public MaxMindDatabaseException(string path, MaxMindDatabaseProblem problem, string message, Exception? innerException)
        : base(message, innerException)
    {
        Path = path;
        Problem = problem;
    }

    /// <summary>Gets the file, or <see langword="null"/> when not known.</summary>
    public string? Path { get; }

    /// <summary>Gets what is wrong with the file.</summary>
    public MaxMindDatabaseProblem Problem { get; }
}
