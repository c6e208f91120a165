using System;
using System.Linq;
using System.Threading;
using Xunit;

namespace SessionCore.Fuzz.Tests;

/// <summary>The harness machinery itself: a swallowed or undocumented exception must fail a run, or the replay proves nothing.</summary>
public sealed class FuzzTargetTests
{
    [Fact]
    public void Run_ExceptionSwallowedInside_Fails()
    {
        FuzzTarget target = new("t", "swallows", _ =>
        {
            try
            {
                throw new IndexOutOfRangeException();
            }
            catch (IndexOutOfRangeException)
            {
            }
        }, _ => false);

        UndocumentedExceptionException ex = Assert.Throws<UndocumentedExceptionException>(() => target.Run([]));
        Assert.IsType<IndexOutOfRangeException>(ex.InnerException);
    }

    [Fact]
    public void Run_UndocumentedExceptionEscapes_Fails()
    {
        FuzzTarget target = new("t", "throws", _ => throw new NullReferenceException(), _ => false);

        Assert.Throws<UndocumentedExceptionException>(() => target.Run([]));
    }

    [Fact]
    public void Run_DocumentedException_Passes()
    {
        FuzzTarget target = new("t", "documented", _ => throw new FormatException(), ex => ex is FormatException);

        target.Run([]);
    }

    [Fact]
    public void Run_ExceptionOnAnotherThread_IsNotCharged()
    {
        FuzzTarget target = new("t", "quiet", _ =>
        {
            Thread other = new(() =>
            {
                try
                {
                    throw new InvalidCastException();
                }
                catch (InvalidCastException)
                {
                }
            });
            other.Start();
            other.Join();
        }, _ => false);

        target.Run([]);
    }

    [Fact]
    public void All_TargetNames_AreUniqueAndFindable()
    {
        string[] names = [.. FuzzTargets.All.Select(t => t.Name)];

        Assert.Equal(names.Length, names.Distinct(StringComparer.Ordinal).Count());
        Assert.All(names, name => Assert.Same(FuzzTargets.All.Single(t => t.Name == name), FuzzTargets.Find(name)));
        Assert.Null(FuzzTargets.Find("no-such-target"));
    }
}
