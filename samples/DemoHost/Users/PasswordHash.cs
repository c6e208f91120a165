using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SessionCore.Samples.DemoHost.Users;

/// <summary>
/// PBKDF2-HMAC-SHA-256 password hashes (600 000 iterations, 16-byte salt, 32-byte key; OWASP 2023 guidance),
/// stored as <c>pbkdf2-sha256$iterations$salt$key</c> with base64 parts. Verification is constant-time.
/// </summary>
internal sealed class PasswordHash
{
    public const int Iterations = 600_000;
    private const string Scheme = "pbkdf2-sha256";
    private const int SaltSize = 16;
    private const int KeySize = 32;
    private const int MaxPasswordLength = 256;

    // Hashed in place of a password of a refused length, so that refusal costs as much as a wrong password.
    private const string RefusedPasswordStandIn = "refused-password-stand-in";

    private readonly int _iterations;
    private readonly byte[] _salt;
    private readonly byte[] _key;

    private PasswordHash(int iterations, byte[] salt, byte[] key)
    {
        _iterations = iterations;
        _salt = salt;
        _key = key;
    }

    [ThreadStatic]
    private static int t_derivations;

    /// <summary>A hash of a random password, verified against when the user name is unknown so both paths cost the same.</summary>
    public static PasswordHash Decoy { get; } = Create(Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)));

    public static PasswordHash Create(string password)
    {
        byte[] salt = RandomNumberGenerator.GetBytes(SaltSize);
        return new PasswordHash(Iterations, salt, Derive(password, salt, Iterations));
    }

    public static PasswordHash? TryParse(string? encoded)
    {
        string[] parts = encoded?.Split('$') ?? [];
        if (parts.Length != 4 || parts[0] != Scheme
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int iterations)
            || iterations < 100_000 || iterations > 10_000_000)
        {
            return null;
        }

        try
        {
            byte[] salt = Convert.FromBase64String(parts[2]);
            byte[] key = Convert.FromBase64String(parts[3]);
            return salt.Length >= SaltSize && key.Length == KeySize ? new PasswordHash(iterations, salt, key) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public static bool IsAcceptableLength(string? password) => password is not null && password.Length is > 0 and <= MaxPasswordLength;

    public bool Verify(string? password)
    {
        if (!IsAcceptableLength(password))
        {
            // The full derivation all the same: a missing or over-long password must not be a cheap failure,
            // or a caller could flood failures (and tell this case apart by time).
            CryptographicOperations.ZeroMemory(Derive(RefusedPasswordStandIn, _salt, _iterations));
            return false;
        }

        byte[] candidate = Derive(password!, _salt, _iterations);
        try
        {
            return CryptographicOperations.FixedTimeEquals(candidate, _key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(candidate);
        }
    }

    public string Encode() => string.Join('$', Scheme, _iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(_salt), Convert.ToBase64String(_key));

    public override string ToString() => Scheme;

    /// <summary>Gets how many full derivations ran on the calling thread (lets tests check the work is done, without timing it).</summary>
    internal static int DerivationsOnThisThread => t_derivations;

    private static byte[] Derive(string password, byte[] salt, int iterations)
    {
        t_derivations++;
        byte[] bytes = Encoding.UTF8.GetBytes(password);
        try
        {
            return Rfc2898DeriveBytes.Pbkdf2(bytes, salt, iterations, HashAlgorithmName.SHA256, KeySize);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }
}
