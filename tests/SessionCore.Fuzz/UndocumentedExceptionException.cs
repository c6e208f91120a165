using System;

namespace SessionCore.Fuzz;

/// <summary>A target saw an exception its contract does not allow (thrown, or thrown and swallowed inside the library).</summary>
public sealed class UndocumentedExceptionException : Exception
{
    public UndocumentedExceptionException()
    {
    }

    public UndocumentedExceptionException(string message)
        : base(message)
    {
    }

    public UndocumentedExceptionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal UndocumentedExceptionException(Exception inner)
        : base("Undocumented " + inner.GetType().FullName + ": " + inner.Message + Environment.NewLine + inner.StackTrace, inner)
    {
    }
}
