using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;

namespace SessionCore.Samples.AspNetCore;

/// <summary>
/// The sample's user directory: one demo user, alice, whose password ("alice-password") is kept only as a
/// salted PBKDF2-HMAC-SHA256 hash. A real host keeps these records in its own database.
/// </summary>
internal sealed class DemoUsers
{
    // OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256.
    private const int Iterations = 600_000;
    private const int HashSize = 32;

    private static readonly Dictionary<string, (byte[] Salt, byte[] Hash)> s_users = new(StringComparer.Ordinal)
    {
        ["alice"] = (Convert.FromBase64String("yoogdjshIVrQf+uGoJTmPQ=="), Convert.FromBase64String("gm4VXqXwClUYkULU9B1hr1qZh3er1bLtb2ntXINZqnY=")),
    };

    // Unknown users are checked against this record too, so a wrong user name costs as much as a wrong password.
    private static readonly (byte[] Salt, byte[] Hash) s_nobody = (new byte[16], new byte[HashSize]);

    /// <summary>Checks a user name and password; compares the derived hash in constant time.</summary>
    public static bool Verify(string? user, string? password)
    {
        bool known = user is not null && s_users.ContainsKey(user);
        (byte[] salt, byte[] expected) = known ? s_users[user!] : s_nobody;
        byte[] secret = Encoding.UTF8.GetBytes(password ?? string.Empty);
        Span<byte> actual = stackalloc byte[HashSize];
        try
        {
            Rfc2898DeriveBytes.Pbkdf2(secret, salt, actual, Iterations, HashAlgorithmName.SHA256);
            return CryptographicOperations.FixedTimeEquals(actual, expected) && known && password is not null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
            CryptographicOperations.ZeroMemory(actual);
        }
    }
}
