using System;
using System.Runtime.InteropServices;
using System.Threading;
using SessionCore.Samples.DemoHost;
using SessionCore.Samples.DemoHost.Browser;
using SessionCore.Samples.DemoHost.Hosting;
using SessionCore.Samples.DemoHost.OAuth;

if (!HostSettings.TryParse(args, out HostSettings settings, out string? error))
{
    Console.Error.WriteLine(error);
    Console.Error.WriteLine("usage: DemoHost --urls http://127.0.0.1:5080 [--data DIR] [--max-sessions N] [--refresh-grace SECONDS] [--signing-alg ES256|EdDSA|RS256|PS256] [--dbsc-cookie-seconds N]");
    return 2;
}

using DemoServices services = new(settings);
Router router = new();
new BrowserEndpoints(services).Map(router);
new OAuthEndpoints(services).Map(router);
new DbscEndpoints(services).Map(router);

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
