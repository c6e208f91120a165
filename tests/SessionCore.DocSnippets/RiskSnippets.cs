using System;
using System.Collections.Generic;
using System.Net;
using SessionCore.Devices;
using SessionCore.Http;
using SessionCore.Location.MaxMind;
using SessionCore.Risk;
using SessionCore.Stores;

namespace SessionCore.DocSnippets;

/// <summary>The code of the sign-in risk and client-address sections (concepts/location-risk.md, concepts/policies.md).</summary>
public static class RiskSnippets
{
    public static ClientAddressResult ClientAddress(IPAddress? remoteAddress, string? xForwardedFor)
    {
        #region snippet_ClientAddress
        // Once, at start-up: the proxies in front of the application, and the header they append to.
        ClientAddressOptions options = new() { Header = ForwardingHeader.XForwardedFor };
        options.TrustedProxies.Add("10.0.0.0/8");            // the load balancers' subnet
        ClientAddressResolver clientAddress = new(options);

        // Per request: the connection's address and the header as received (never thrown on).
        ClientAddressResult client = clientAddress.Resolve(remoteAddress, forwarded: null, xForwardedFor);
        IPAddress? address = client.IsSuccess ? client.Value : null;   // null: unknown, never a guess
        #endregion
        return client;
    }

    public static SignInRiskAssessment SignInRisk(
        string cityFile, string asnFile, ClientInfo client, DateTimeOffset now, IReadOnlyList<KnownDevice> knownDevices, Func<KnownDevice, CoarseLocation?> lastPlace)
    {
        #region snippet_SignInRisk
        // Once, at start-up: a missing or broken file throws MaxMindDatabaseException here.
        MaxMindLocationProvider places = new(new MaxMindLocationOptions { CityDatabasePath = cityFile, AsnDatabasePath = asnFile });
        SignInRiskOptions options = new();
        options.Actions[SignInRiskReason.NewCountry] = SignInRiskAction.RequireStepUp;
        SignInRiskEvaluator risk = new(options, places);

        // At sign-in: compare with the user's remembered devices and the place each was last seen at.
        DeviceFingerprint device = DeviceFingerprint.FromClient(client);
        SignInRiskAssessment verdict = risk.Assess(device, client.Address, now, knownDevices, lastPlace);
        // verdict.Reasons, for example NewCountry | ImpossibleTravel; verdict.Action, the strictest mapped action;
        // verdict.Location, the coarse place to remember for this device ("Linköping, SE").
        #endregion
        places.Dispose();
        return verdict;
    }
}
