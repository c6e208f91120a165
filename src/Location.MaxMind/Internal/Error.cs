using System;
using System.Globalization;

namespace SessionCore.Location.MaxMind.Internal;

/// <summary>Message texts of the MaxMind adapter. None carries an address that was looked up.</summary>
internal static class Error
{
    public const string NoDatabase = "Set CityDatabasePath, AsnDatabasePath or both.";
    public const string EmptyPath = "A database path must not be empty or white space.";
    public const string IntervalOutOfRange = "ReloadCheckInterval must be zero (no automatic check) or between 1 second and 1 day.";

    public static string Problem(string kind, string path, MaxMindDatabaseProblem problem, string? declaredType = null) => string.Create(
        CultureInfo.InvariantCulture,
        $"The MaxMind {kind} database '{path}' {Describe(problem, declaredType)}. Download it again (for example with geoipupdate) or fix the path.");

    private static string Describe(MaxMindDatabaseProblem problem, string? declaredType) => problem switch
    {
        MaxMindDatabaseProblem.Missing => "does not exist",
        MaxMindDatabaseProblem.Unreadable => "cannot be read",
        MaxMindDatabaseProblem.Truncated => "is empty, truncated or not a MaxMind DB file",
        MaxMindDatabaseProblem.Corrupt => "is corrupt (its search tree or data section cannot be decoded)",
        MaxMindDatabaseProblem.WrongKind => "is a database of another kind (" + Printable(declaredType) + ")",
        _ => throw new ArgumentOutOfRangeException(nameof(problem)),
    };

    // The declared type comes from the file: show it only when it is short, printable ASCII.
    private static string Printable(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 64)
        {
            return "unreadable type";
        }

        foreach (char c in value)
        {
            if (c < 0x20 || c > 0x7E)
            {
                return "unreadable type";
            }
        }

        return "'" + value + "'";
    }
}
