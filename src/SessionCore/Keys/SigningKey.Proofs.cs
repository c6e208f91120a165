namespace SessionCore.Keys;

public sealed partial class SigningKey
{
    /// <summary>Wraps the public key of a proof (already imported and validated by <see cref="PublicJwk"/>); it can only verify.</summary>
    internal static SigningKey FromPublicMaterial(SigningAlgorithm algorithm, KeyMaterial material) =>
        new(algorithm, material, SigningKeyExportPolicies.None);
}
