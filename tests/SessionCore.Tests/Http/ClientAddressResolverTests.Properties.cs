using System.Net;
using FsCheck;
using FsCheck.Xunit;
using SessionCore.Http;

namespace SessionCore.Tests.Http;

public sealed partial class ClientAddressResolverTests
{
    [Property(MaxTest = 2000)]
    public bool ResolveNeverThrowsAndAnswersOnlyFromItsInputs_Holds(string? header)
    {
        foreach (ClientAddressResolver resolver in new[] { s_xff, s_forwarded })
        {
            ClientAddressResult result = resolver.Resolve(s_proxy, header, header);
            if (result.IsSuccess != result.Status is ClientAddressStatus.Connection or ClientAddressStatus.Forwarded)
            {
                return false;
            }

            if (result.Status == ClientAddressStatus.Connection && !result.Value.Equals(s_proxy))
            {
                return false;
            }
        }

        return true;
    }

    [Property(MaxTest = 1000)]
    public bool WhatTheClientWritesLeftOfTheProxiesChangesNothing_Holds(string prefix, byte a, byte b)
    {
        string client = $"203.{a}.{b}.7";
        ClientAddressResult xff = s_xff.Resolve(s_proxy, null, (prefix ?? string.Empty) + "," + client + ", 10.0.0.2");
        ClientAddressResult forwarded = s_forwarded.Resolve(s_proxy, (prefix ?? string.Empty) + ",for=" + client + ";proto=https, for=10.0.0.2", null);
        return xff.Status == ClientAddressStatus.Forwarded && xff.Value.ToString() == client
            && forwarded.Status == ClientAddressStatus.Forwarded && forwarded.Value.ToString() == client;
    }

    [Property(MaxTest = 500)]
    public bool AnUntrustedPeerIsAlwaysTheClient_Holds(string? header, byte a, byte b)
    {
        IPAddress peer = IPAddress.Parse($"198.51.{a}.{b}");
        ClientAddressResult result = s_xff.Resolve(peer, header, header);
        return result.Status == ClientAddressStatus.Connection && result.Value.Equals(peer);
    }

    [Property(MaxTest = 500)]
    public bool AnyCanonicalAddressRoundTrips_Holds(byte a, byte b, byte c, byte d, ushort port)
    {
        string v4 = $"{a}.{b}.{c}.{d}";
        IPAddress v6 = new([0x20, 0x01, 0x0d, 0xb9, a, b, c, d, 0, 0, 0, 0, a, b, c, d]);
        return Round(s_xff, null, v4 + ":" + port) == v4
            && Round(s_xff, null, v6.ToString()) == v6.ToString()
            && Round(s_xff, null, "[" + v6 + "]:" + port) == v6.ToString()
            && Round(s_forwarded, "for=\"[" + v6 + "]:" + port + "\"", null) == v6.ToString()
            && Round(s_forwarded, "for=" + v4, null) == v4;
    }

    private static string? Round(ClientAddressResolver resolver, string? forwarded, string? xff) =>
        resolver.Resolve(IPAddress.Parse("10.0.0.1"), forwarded, xff).TryGetValue(out IPAddress? address) ? address.ToString() : null;
}
