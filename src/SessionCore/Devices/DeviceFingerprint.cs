using System;
using System.Security.Cryptography;
using System.Text;
using SessionCore.Internal;
using SessionCore.Sessions;
using SessionCore.Tokens;

namespace SessionCore.Devices;

/// <summary>
/// The non-secret fingerprint of a client: a hash of the device-id cookie, the user-agent family and the
/// coarse network. Two sign-ins with equal fingerprints count as the same device.
/// </summary>
/// <remarks>
/// Security: the fingerprint holds no raw address and no cookie value. A device-id cookie that is not
/// of the form minted by <see cref="SessionManager.MintDeviceId"/> is ignored, so a client cannot choose
/// an arbitrary string to collide with another device.
/// </remarks>
/// <threadsafety>Immutable.</threadsafety>
public sealed record DeviceFingerprint
{
    /// <summary>The prefix of every device-id cookie value.</summary>
    public const string DeviceIdPrefix = "scd_";

    private DeviceFingerprint(string? deviceIdHash, string userAgentFamily, string? network)
    {
        DeviceIdHash = deviceIdHash;
        UserAgentFamily = userAgentFamily;
        Network = network;
        Key = ComputeKey(deviceIdHash, userAgentFamily, network);
    }

    /// <summary>Gets the SHA-256 hash (base64url) of the device-id cookie value, or <see langword="null"/> when none was usable.</summary>
    public string? DeviceIdHash { get; }

    /// <summary>Gets the user-agent family, for example <c>"Firefox on Linux"</c>.</summary>
    public string UserAgentFamily { get; }

    /// <summary>Gets the coarse network, or <see langword="null"/>.</summary>
    public string? Network { get; }

    /// <summary>Gets a stable key over the three parts (base64url SHA-256), unique per combination.</summary>
    public string Key { get; }

    /// <summary>Derives the fingerprint of a client. Never throws on the client's values.</summary>
    /// <param name="client">What the host knows of the client.</param>
    /// <returns>The fingerprint.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="client"/> is <see langword="null"/>.</exception>
    public static DeviceFingerprint FromClient(ClientInfo client)
    {
        Throw.IfNull(client);
        return new DeviceFingerprint(
            HashDeviceId(client.DeviceIdCookie),
            Devices.UserAgentFamily.Parse(client.UserAgent),
            NetworkPrefix.FromAddress(client.Address));
    }

    /// <summary>Tells whether a value has the form of a device-id cookie value.</summary>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> for <c>scd_</c> followed by 43 characters of canonical base64url.</returns>
    public static bool IsWellFormedDeviceId(string? value) => value is not null && OpaqueToken.IsWellFormed(value, DeviceIdPrefix);

    /// <summary>Gets the device this fingerprint describes, as the session records it.</summary>
    /// <returns>The session device.</returns>
    public SessionDevice ToSessionDevice() => new(UserAgentFamily, Network, DeviceIdHash);

    internal static string? HashDeviceId(string? value) => IsWellFormedDeviceId(value) ? OpaqueToken.Hash(value!) : null;

    private static string ComputeKey(string? deviceIdHash, string userAgentFamily, string? network)
    {
        // Length-prefixed parts, so no two different triples encode to the same bytes.
        string canonical = string.Concat(
            "v1|", Part(deviceIdHash), "|", Part(userAgentFamily), "|", Part(network));
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(canonical), digest);
        return Base64UrlStrict.Encode(digest);
    }

    private static string Part(string? value) =>
        value is null ? "-" : string.Concat(value.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), ":", value);
}
