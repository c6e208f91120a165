using System.Net;
using SessionCore.DocSnippets;
using SessionCore.Http;
using Xunit;

namespace SessionCore.Tests.DocSnippets;

// Runs the client-address code shown in docs/concepts/policies.md. The sign-in risk snippet needs the MaxMind test
// databases and runs in SessionCore.Location.MaxMind.Tests.
public sealed class RiskSnippetsTests
{
    [Fact]
    public void ClientAddress_BehindTrustedProxy_IsTheRightmostUntrustedHop()
    {
        ClientAddressResult result = RiskSnippets.ClientAddress(IPAddress.Parse("10.1.2.3"), "198.51.100.1, 203.0.113.7, 10.0.0.9");

        Assert.Equal(ClientAddressStatus.Forwarded, result.Status);
        Assert.Equal(IPAddress.Parse("203.0.113.7"), result.Value);
    }

    [Fact]
    public void ClientAddress_DirectClient_IgnoresTheHeader()
    {
        ClientAddressResult result = RiskSnippets.ClientAddress(IPAddress.Parse("203.0.113.7"), "10.0.0.1");

        Assert.Equal(ClientAddressStatus.Connection, result.Status);
        Assert.Equal(IPAddress.Parse("203.0.113.7"), result.Value);
    }
}
