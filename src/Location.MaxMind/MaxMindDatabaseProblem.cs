namespace SessionCore.Location.MaxMind;

/// <summary>Why a MaxMind DB file cannot be used.</summary>
public enum MaxMindDatabaseProblem
{
    /// <summary>The file does not exist.</summary>
    Missing = 0,

    /// <summary>The file exists but cannot be read (permissions, I/O error).</summary>
    Unreadable = 1,

    /// <summary>The file is empty, truncated (its metadata section, at the end, is gone) or not a MaxMind DB file at all.</summary>
    Truncated = 2,

    /// <summary>The file has metadata but its search tree or data section is corrupt.</summary>
    Corrupt = 3,

    /// <summary>The file is a valid MaxMind DB of another kind (an ASN file given as the city database, say).</summary>
    WrongKind = 4,
}
