namespace SessionCore.Keys;

/// <summary>The decoded members of a JWK that key import needs; byte arrays are owned by the caller, which zeroes <see cref="D"/>.</summary>
internal readonly struct JwkMembers
{
    public required string Kty { get; init; }

    public required string Crv { get; init; }

    public required byte[] X { get; init; }

    public byte[]? Y { get; init; }

    public byte[]? D { get; init; }

    public static bool FixedSize(byte[]? value, int size) => value is not null && value.Length == size;

    public static void Zero(byte[]? value)
    {
        if (value is not null)
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(value);
        }
    }
}
