namespace SessionCore.Internal;

/// <summary>Messages of the refresh-token rotation area.</summary>
internal static partial class Error
{
    public const string RefreshIdleLongerThanFamily = "RefreshTokenOptions.IdleLifetime must not be longer than FamilyLifetime.";
    public const string SealingKeyLength = "RefreshTokenOptions.SealingKey must be empty (a per-process key is generated) or exactly 32 bytes.";
    public const string RefreshSuccessorMalformed = "A minted refresh token did not have the expected format.";
    public const string SealingKeyWeak = "RefreshTokenOptions.SealingKey must not consist of one repeated byte value.";
}
