using System;
using System.Globalization;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Http;

namespace SessionCore.Samples.DemoHost.Hosting;

/// <summary>
/// The request loop: every request gets the security headers, the URL credential check, routing and a
/// catch-all that turns any failure into a 500 revealing nothing. A bad request never stops the loop.
/// </summary>
internal sealed class HttpServer : IDisposable
{
    private const int MaxConcurrentRequests = 64;

    /// <summary>
    /// How long one request may take from the moment it holds a slot: a client that sends headers and then stalls
    /// (or trickles its body) is cut off at this deadline, so a handful of them cannot hold every slot.
    /// </summary>
    private static readonly TimeSpan RequestDeadline = TimeSpan.FromSeconds(10);

    // No script, no plugins, no framing; styles and images only from this origin; forms post only here.
    private const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private readonly HttpListener _listener = new();
    private readonly Router _router;
    private readonly SemaphoreSlim _slots = new(MaxConcurrentRequests);

    public HttpServer(Uri baseUri, Router router)
    {
        _router = router;
        _listener.Prefixes.Add(baseUri.GetLeftPart(UriPartial.Authority) + "/");
        _listener.IgnoreWriteExceptions = true;
    }

    public void Start() => _listener.Start();

    public async Task RunAsync(CancellationToken stopping)
    {
        using CancellationTokenRegistration stop = stopping.Register(_listener.Stop);
        while (!stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                if (stopping.IsCancellationRequested)
                {
                    break;
                }

                Log.Write("accept failed: " + ex.GetType().Name);
                continue;
            }

            try
            {
                await _slots.WaitAsync(stopping);
            }
            catch (OperationCanceledException)
            {
                context.Response.Abort();
                break;
            }

            _ = Task.Run(() => HandleAsync(context, stopping), CancellationToken.None);
        }

        // Let requests in flight finish (briefly) before the store is closed under them.
        for (int i = 0; i < MaxConcurrentRequests; i++)
        {
            if (!await _slots.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None))
            {
                break;
            }
        }
    }

    public void Dispose()
    {
        ((IDisposable)_listener).Dispose();
        _slots.Dispose();
    }

    private static void ApplySecurityHeaders(RequestContext context)
    {
        context.SetHeader("Cache-Control", "no-store");
        context.SetHeader("Pragma", "no-cache");
        context.SetHeader("X-Content-Type-Options", "nosniff");
        context.SetHeader("Content-Security-Policy", ContentSecurityPolicy);
        // Not no-referrer: with it Chromium sends "Origin: null" on same-origin form posts, which the origin
        // check must refuse. same-origin keeps the referrer (and the origin) from every other site.
        context.SetHeader("Referrer-Policy", "same-origin");
        context.SetHeader("X-Frame-Options", "DENY");
        context.SetHeader("Cross-Origin-Opener-Policy", "same-origin");
        context.SetHeader("Cross-Origin-Resource-Policy", "same-origin");
        context.SetHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()");
    }

    private async Task HandleAsync(HttpListenerContext listenerContext, CancellationToken stopping)
    {
        RequestContext? context = null;
        using CancellationTokenSource deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        deadline.CancelAfter(RequestDeadline);

        // HttpListener's body stream does not observe cancellation everywhere: closing the connection is what ends a
        // read that waits on a silent client, and that frees the slot.
        using CancellationTokenRegistration cutOff = deadline.Token.Register(static state => ((HttpListenerContext)state!).Response.Abort(), listenerContext);
        try
        {
            context = new RequestContext(listenerContext, deadline.Token);
            ApplySecurityHeaders(context);

            // RFC 6750 §5.3 and §2.3: credentials never travel in URLs. Refuse, and log the kind of finding
            // only: the URL itself would put the credential into the log.
            UrlTokenFinding finding = UrlTokenDetector.Inspect(context.RawUrl);
            if (finding != UrlTokenFinding.None)
            {
                Log.Write(string.Create(CultureInfo.InvariantCulture, $"refused {context.Method} with a credential in the URL ({finding}) from {context.RemoteAddress}"));
                await context.WriteErrorAsync(400, "token_in_url");
                return;
            }

            await _router.DispatchAsync(context);
            if (!context.HasStarted)
            {
                await context.WriteStatusAsync(204);
            }
        }
#pragma warning disable CA1031 // The loop must survive any failure of one request; the client learns nothing about it.
        catch (Exception) when (deadline.IsCancellationRequested && !stopping.IsCancellationRequested)
        {
            Log.Write(string.Create(CultureInfo.InvariantCulture, $"request cut off after {RequestDeadline.TotalSeconds:0} s"));
        }
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.Write("request failed: " + ex.GetType().Name);
            context?.Fail();
        }
        finally
        {
            if (context is not null)
            {
                context.Close();
            }
            else
            {
                listenerContext.Response.Abort();
            }

            _slots.Release();
        }
    }
}
