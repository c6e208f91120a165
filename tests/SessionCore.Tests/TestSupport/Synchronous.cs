using System;
using System.Threading.Tasks;

namespace SessionCore.Tests.TestSupport;

/// <summary>
/// Unwraps operations that complete synchronously (the in-memory store never awaits), so FsCheck
/// properties can stay synchronous without blocking on real asynchrony.
/// </summary>
internal static class Synchronous
{
    public static T Run<T>(ValueTask<T> operation)
    {
        if (!operation.IsCompletedSuccessfully)
        {
            throw new InvalidOperationException("The operation did not complete synchronously.");
        }

        return operation.Result;
    }
}
