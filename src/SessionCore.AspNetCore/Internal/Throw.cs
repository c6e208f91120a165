using System;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace SessionCore.AspNetCore.Internal;

/// <summary>Argument checks; the messages live in <see cref="Error"/>.</summary>
internal static class Throw
{
    public static T IfNull<T>([NotNull] T? argument, [CallerArgumentExpression(nameof(argument))] string? paramName = null)
        where T : class
    {
        if (argument is null)
        {
            ArgumentNull(paramName);
        }

        return argument;
    }

    public static string IfNullOrWhiteSpace([NotNull] string? argument, [CallerArgumentExpression(nameof(argument))] string? paramName = null)
    {
        if (argument is null)
        {
            ArgumentNull(paramName);
        }

        if (string.IsNullOrWhiteSpace(argument))
        {
            throw new ArgumentException(Error.EmptyString, paramName);
        }

        return argument;
    }

    [DoesNotReturn]
    public static void InvalidOperation(string message) => throw new InvalidOperationException(message);

    [DoesNotReturn]
    public static T InvalidOperation<T>(string message) => throw new InvalidOperationException(message);

    [DoesNotReturn]
    private static void ArgumentNull(string? paramName) => throw new ArgumentNullException(paramName);
}
