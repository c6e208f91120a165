using System;
using System.Diagnostics.CodeAnalysis;

namespace SessionCore.Dbsc;

/// <summary>The proof algorithms a server offers in <c>Secure-Session-Registration</c> (DBSC §9.1).</summary>
/// <remarks>
/// Security: the spec also defines <c>none</c> (a session without a key); SessionCore never offers it,
/// because a session without a key binds nothing.
/// </remarks>
[Flags]
[Experimental(DbscDiagnostics.ExperimentalId)]
public enum DbscAlgorithms
{
    /// <summary>No algorithm; refused by the header writer.</summary>
    None = 0,

    /// <summary>ECDSA P-256 with SHA-256 (<c>ES256</c>), the algorithm every implementation supports; written first.</summary>
    Es256 = 1,

    /// <summary>RSASSA-PKCS1-v1_5 with SHA-256 (<c>RS256</c>), for devices whose key store has no P-256.</summary>
    Rs256 = 2,
}
