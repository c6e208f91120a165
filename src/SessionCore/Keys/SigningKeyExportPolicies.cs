using System;

namespace SessionCore.Keys;

/// <summary>What may be exported from a <see cref="SigningKey"/>. Public parts can always be exported.</summary>
[Flags]
public enum SigningKeyExportPolicies
{
    /// <summary>The private part never leaves the key object.</summary>
    None = 0,

    /// <summary>The private part may be exported as a JWK (for example to store a generated key in a secret store).</summary>
    AllowPrivateExport = 1,
}
