using System;
using System.Runtime.InteropServices;
using System.Threading;
using SessionCore.Location.MaxMind;
using SessionCore.Samples.DemoHost;
using SessionCore.Samples.DemoHost.Browser;
using SessionCore.Samples.DemoHost.Hosting;
using SessionCore.Samples.DemoHost.OAuth;

const string Usage = "usage: DemoHost --urls http://127.0.0.1:5080 [--data DIR] [--max-sessions N] [--refresh-grace SECONDS] [--redis CONFIG [--redis-prefix PREFIX]] [--node-cache SECONDS]"
    + " [--signing-alg ES256|EdDSA|RS256|PS256] [--geoip-city FILE] [--geoip-asn FILE] [--trusted-proxy ADDRESS]... [--require-dpop] [--dbsc-cookie-seconds N]";

if (!HostSettings.TryParse(args, out HostSettings settings, out string? error))
{
    Console.Error.WriteLine(error);
    Console.Error.WriteLine(Usage);
    return 2;
}

DemoServices services;
try
{
    services = new(settings);
}
catch (Exception ex) when (ex is MaxMindDatabaseException or ArgumentException)
{
    // A GeoIP file that cannot be opened, or a --trusted-proxy that is not an address or range: fail before listening.
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(Usage);
    return 2;
}

using DemoServices disposeServices = services;
Router router = new();
new BrowserEndpoints(services).Map(router);
new OAuthEndpoints(services).Map(router);
new DbscEndpoints(services).Map(router);

// Whether this node answers validations from its cache (only while its invalidation subscription is up), and the
// revocation propagation it measured (milliseconds, change in the store to this node applying it); no secrets.
using PropagationRecorder propagation = new();
router.Get("/api/node", context => context.WriteJsonAsync(200, json =>
{
    double[] values = propagation.Snapshot();
    json.WriteStartObject();
    json.WriteBoolean("nodeCache", services.NodeCache is not null);
    json.WriteBoolean("servingFromCache", services.NodeCache?.IsServingFromCache == true);
    json.WriteNumber("cachedSessions", services.NodeCache?.Count ?? 0);
    json.WriteStartArray("propagationMs");
    foreach (double value in values)
    {
        json.WriteNumberValue(Math.Round(value, 3));
    }

    json.WriteEndArray();
    json.WriteEndObject();
}));

using CancellationTokenSource stopping = new();
using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stopping.Cancel();
});
using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
{
    context.Cancel = true;
    stopping.Cancel();
});

using HttpServer server = new(settings.BaseUri, router);
server.Start();
Console.WriteLine($"Listening on {settings.Origin}");
await server.RunAsync(stopping.Token);
return 0;
