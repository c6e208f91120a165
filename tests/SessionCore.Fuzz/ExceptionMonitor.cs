using System;
using System.Runtime.ExceptionServices;

namespace SessionCore.Fuzz;

/// <summary>
/// Sees every exception thrown on the current thread while a target runs, including those the library
/// catches itself. The validators end in a fail-closed catch-all, so a bug there would otherwise show
/// only as a refusal; here it is a crash unless its exact type is one the target allows.
/// </summary>
internal static class ExceptionMonitor
{
    [ThreadStatic]
    private static Func<Exception, bool>? t_allowed;

    [ThreadStatic]
    private static Exception? t_first;

    static ExceptionMonitor() => AppDomain.CurrentDomain.FirstChanceException += OnFirstChance;

    /// <summary>Runs <paramref name="body"/>; an allowed exception that escapes it ends the run quietly. Throws <see cref="UndocumentedExceptionException"/> if any exception not allowed was thrown inside it, caught or not.</summary>
    public static void Run(byte[] input, Action<byte[]> body, Func<Exception, bool> allowed)
    {
        t_first = null;
        t_allowed = allowed;
        try
        {
            body(input);
        }
        catch (Exception ex)
        {
            t_allowed = null;
            if (!allowed(ex))
            {
                throw new UndocumentedExceptionException(ex);
            }
        }
        finally
        {
            t_allowed = null;
        }

        if (t_first is { } first)
        {
            t_first = null;
            throw new UndocumentedExceptionException(first);
        }
    }

    /// <summary>Runs a step that is not under test (a third-party decoder that prepares the input) without watching it.</summary>
    public static T Unwatched<T>(Func<T> step)
    {
        Func<Exception, bool>? saved = t_allowed;
        t_allowed = null;
        try
        {
            return step();
        }
        finally
        {
            t_allowed = saved;
        }
    }

    private static void OnFirstChance(object? sender, FirstChanceExceptionEventArgs e)
    {
        if (t_allowed is { } allowed && t_first is null && !allowed(e.Exception))
        {
            t_first = e.Exception;
        }
    }
}
