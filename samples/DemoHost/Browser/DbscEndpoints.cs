using System.Collections.Generic;
using System.Text;
using System.Threading.Tasks;
using SessionCore.Dbsc;
using SessionCore.Http;
using SessionCore.Samples.DemoHost.Hosting;

namespace SessionCore.Samples.DemoHost.Browser;

/// <summary>The DBSC registration and refresh endpoints: header values in, the library's answer copied out.</summary>
internal sealed class DbscEndpoints
{
    private readonly DemoServices _services;

    public DbscEndpoints(DemoServices services) => _services = services;

    public void Map(Router router) =>
        router.Post("/dbsc/register", RegisterAsync)
            .Post("/dbsc/refresh", RefreshAsync);

    private static async Task WriteAsync(RequestContext context, DbscEndpointResult result)
    {
        Log.Write($"dbsc {context.Path}: {result.Status}{(result.ProofStatus is { } proof ? " (" + proof + ")" : string.Empty)}");
        string? contentType = null;
        foreach (KeyValuePair<string, string> header in result.Answer.Headers)
        {
            if (header.Key == "Set-Cookie")
            {
                context.AddSetCookie(header.Value);
            }
            else if (header.Key == "Content-Type")
            {
                contentType = header.Value;
            }
            else
            {
                context.SetHeader(header.Key, header.Value);
            }
        }

        if (result.Answer.Body.IsEmpty)
        {
            await context.WriteStatusAsync(result.Answer.StatusCode);
        }
        else
        {
            await context.WriteTextAsync(result.Answer.StatusCode, contentType ?? "application/json", Encoding.UTF8.GetString(result.Answer.Body.Span));
        }
    }

    private string? SessionToken(RequestContext context) =>
        CookieHeaderParser.Find(context.Header("Cookie"), _services.SessionCookie.Name).TryGetValue(out string? value) ? value : null;

    private async Task RegisterAsync(RequestContext context) =>
        await WriteAsync(context, await _services.Dbsc.RegisterAsync(SessionToken(context), context.Header(DbscHeaders.Response), context.CancellationToken));

    private async Task RefreshAsync(RequestContext context) =>
        await WriteAsync(context, await _services.Dbsc.RefreshAsync(SessionToken(context), context.Header(DbscHeaders.SessionId), context.Header(DbscHeaders.Response), context.CancellationToken));
}
