namespace SessionCore.Dbsc;

/// <summary>Identifiers of the DBSC preview.</summary>
internal static class DbscDiagnostics
{
    /// <summary>
    /// The <c>[Experimental]</c> id of every public DBSC type: the protocol follows a W3C Working Draft
    /// and may still change, so callers opt in by suppressing this diagnostic.
    /// </summary>
    public const string ExperimentalId = "SCEXP0001";
}
