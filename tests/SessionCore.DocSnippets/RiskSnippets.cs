using System;
using System.Collections.Generic;
using System.Net;
using System.Threading.Tasks;
using SessionCore.Devices;
using SessionCore.Http;
using SessionCore.Location.MaxMind;
using SessionCore.Risk;
using SessionCore.Sessions;
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

    public static async Task<SignInResult> SignInRiskAsync(ISessionStore store, string cityFile, string asnFile, string userId, ClientInfo client)
    {
        #region snippet_SignInRisk
        // Once, at start-up: a missing or broken file throws MaxMindDatabaseException here.
        using MaxMindLocationProvider places = new(new MaxMindLocationOptions { CityDatabasePath = cityFile, AsnDatabasePath = asnFile });
        SignInRiskOptions options = new();
        options.Actions[SignInRiskReason.NewCountry] = SignInRiskAction.RequireStepUp;
        SessionManager sessions = new SessionManagerBuilder { Store = store, SignInRisk = new SignInRiskEvaluator(options, places) }.Build();

        // At sign-in: the manager compares the client with the user's known devices and the place each was last seen at.
        SignInResult result = await sessions.SignInAsync(new SignInRequest(userId) { Client = client });
        // result.Risk.Reasons, for example NewCountry | ImpossibleTravel, also kept as result.Session.SignInRisk;
        // result.Session.Location, the coarse place ("Linköping, SE"), also remembered for the device.
        // Refuse: result.Status is RefusedByRisk. RequireStepUp: the session starts without fresh authentication.
        #endregion
        return result;
    }
}
