using System.Diagnostics.CodeAnalysis;

namespace SessionCore.Dbsc;

/// <summary>What a DBSC challenge is for. A challenge issued for one purpose never verifies for the other.</summary>
[Experimental(DbscDiagnostics.ExperimentalId)]
public enum DbscChallengePurpose
{
    /// <summary>The <c>challenge</c> parameter of <c>Secure-Session-Registration</c>: answered by the proof that registers a key.</summary>
    Registration = 0,

    /// <summary>A <c>Secure-Session-Challenge</c>: answered by the proof that renews the bound cookie.</summary>
    Refresh = 1,
}
