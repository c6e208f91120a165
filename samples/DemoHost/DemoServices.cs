using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Diagnostics;
using SessionCore.Http;
using SessionCore.Samples.DemoHost.Hosting;
using SessionCore.Samples.DemoHost.Users;
using SessionCore.Stores.LiteDb;

namespace SessionCore.Samples.DemoHost;

/// <summary>Everything the handlers share, built once at start-up (so bad configuration fails before listening).</summary>
internal sealed class DemoServices : IDisposable
{
    public DemoServices(HostSettings settings)
    {
        Settings = settings;
        Directory.CreateDirectory(settings.DataDirectory);
        Users = new UserDirectory(settings.DataDirectory);
        Store = new LiteDbSessionStore(new LiteDbSessionStoreOptions { FilePath = Path.Combine(settings.DataDirectory, "sessions.db") });
        LogSink sink = new();

        SessionManagerBuilder browser = new()
        {
            Store = Store,
            Options = new SessionOptions { MaxSessionsPerUser = settings.MaxSessionsPerUser },
        };
        browser.EventSinks.Add(sink);
        Browser = browser.Build();

        // API grants: the session behind a refresh-token family is never presented by the client, so it is not
        // renewed by use; its idle limit is the refresh token's, and the session only bounds the absolute lifetime.
        SessionManagerBuilder api = new()
        {
            Store = Store,
            Options = new SessionOptions
            {
                IdleTimeout = TimeSpan.FromHours(12),
                AbsoluteLifetime = TimeSpan.FromHours(12),
                MaxSessionsPerUser = settings.MaxSessionsPerUser,
            },
        };
        api.EventSinks.Add(sink);
        Api = api.Build();

        SessionCookie = new SessionCookieBuilder(new SessionCookieOptions { MaxAge = TimeSpan.FromHours(12) });
        DeviceCookie = new SessionCookieBuilder(new SessionCookieOptions { Name = "__Host-device", MaxAge = TimeSpan.FromDays(365) });
        Csrf = CsrfTokenService.CreateWithRandomKey();

        // Sign-in has no session yet, so no CSRF token: it relies on Fetch Metadata / Origin and refuses
        // requests that carry neither. Session-bound posts carry a CSRF token; the origin check there only
        // adds a layer and lets non-browser clients (no such headers) through.
        LoginOrigin = new RequestOriginPolicy(settings.Origin);
        SessionOrigin = new RequestOriginPolicy(settings.Origin, allowRequestsWithoutBrowserHeaders: true);
    }

    public HostSettings Settings { get; }

    public UserDirectory Users { get; }

    public LiteDbSessionStore Store { get; }

    /// <summary>Browser sessions: 30-minute idle and 12-hour absolute limits (the library's defaults).</summary>
    public SessionManager Browser { get; }

    /// <summary>Sessions behind OAuth grants.</summary>
    public SessionManager Api { get; }

    public SessionCookieBuilder SessionCookie { get; }

    public SessionCookieBuilder DeviceCookie { get; }

    public CsrfTokenService Csrf { get; }

    public RequestOriginPolicy LoginOrigin { get; }

    public RequestOriginPolicy SessionOrigin { get; }

    public TimeProvider Time => Browser.TimeProvider;

    public void Dispose()
    {
        Csrf.Dispose();
        Store.Dispose();
    }

    /// <summary>Writes security events to the log: user, session id (a hash) and kind; never a token.</summary>
    private sealed class LogSink : ISessionEventSink
    {
        public ValueTask HandleAsync(SessionEvent sessionEvent, CancellationToken cancellationToken)
        {
            string detail = sessionEvent switch
            {
                NewDeviceSignIn d => $"new device ({d.Changes}, {d.UserAgentFamily})",
                RefreshTokenReuseDetected => "refresh token reuse: family and session revoked",
                SessionRevoked r => $"revoked ({r.Reason})",
                _ => sessionEvent.GetType().Name,
            };
            Log.Write($"event user={sessionEvent.UserId} session={sessionEvent.SessionId} {detail}");
            return ValueTask.CompletedTask;
        }
    }
}
