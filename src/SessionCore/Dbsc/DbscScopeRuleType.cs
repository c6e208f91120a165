using System.Diagnostics.CodeAnalysis;

namespace SessionCore.Dbsc;

/// <summary>Whether a scope rule adds URLs to a session's scope or removes them (DBSC §9.8, <c>type</c>).</summary>
[Experimental(DbscDiagnostics.ExperimentalId)]
public enum DbscScopeRuleType
{
    /// <summary><c>include</c>.</summary>
    Include = 0,

    /// <summary><c>exclude</c>: requests to matching URLs do not wait for a refresh.</summary>
    Exclude = 1,
}
