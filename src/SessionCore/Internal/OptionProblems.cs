using System;
using System.Collections.Generic;
using System.Text;

namespace SessionCore.Internal;

/// <summary>
/// Collects every problem of an options object before failing, so a misconfigured host learns all of them at
/// start-up instead of one per restart. One problem throws exactly what a single check would have thrown.
/// </summary>
internal sealed class OptionProblems
{
    private readonly List<ArgumentException> _problems = [];

    /// <summary>Records a problem when <paramref name="value"/> is outside [min, max]; returns whether the value is in range.</summary>
    public bool InRange(TimeSpan value, TimeSpan min, TimeSpan max, string name)
    {
        if (value < min || value > max)
        {
            Add(new ArgumentOutOfRangeException(name, Error.OutOfRange(min, max)));
            return false;
        }

        return true;
    }

    /// <summary>Records a problem when <paramref name="value"/> is outside [min, max]; returns whether the value is in range.</summary>
    public bool InRange(int value, int min, int max, string name)
    {
        if (value < min || value > max)
        {
            Add(new ArgumentOutOfRangeException(name, Error.OutOfRange(min, max)));
            return false;
        }

        return true;
    }

    public void Add(ArgumentException problem)
    {
        // The same problem found twice (two empty entries of a list, say) is reported once.
        if (!_problems.Exists(p => p.Message == problem.Message))
        {
            _problems.Add(problem);
        }
    }

    /// <summary>Throws when anything was found: the one exception, or an <see cref="ArgumentException"/> listing all.</summary>
    public void ThrowIfAny(string paramName)
    {
        switch (_problems.Count)
        {
            case 0:
                return;
            case 1:
                throw _problems[0];
            default:
                StringBuilder message = new(Error.SeveralOptionProblems(_problems.Count));
                foreach (ArgumentException problem in _problems)
                {
                    message.Append(Environment.NewLine).Append("- ").Append(problem.Message);
                }

                throw new ArgumentException(message.ToString(), paramName);
        }
    }
}
