using System;
using System.IO;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Dbsc;
using SessionCore.Diagnostics;
using SessionCore.Dpop;
using SessionCore.Http;
using SessionCore.Jwt;
using SessionCore.Keys;
using SessionCore.Location.MaxMind;
using SessionCore.Risk;
using SessionCore.Rotation;
using SessionCore.Samples.DemoHost.Hosting;
using SessionCore.Samples.DemoHost.Users;
using SessionCore.Scale;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Stores.LiteDb;
using SessionCore.Stores.Redis;

namespace SessionCore.Samples.DemoHost;

/// <summary>Everything the handlers share, built once at start-up (so bad configuration fails before listening).</summary>
internal sealed class DemoServices : IDisposable
{
    private readonly SigningKey _signingKey;
    private readonly IDisposable _ownedStore;
    private readonly RedisInvalidationBus? _bus;

    public DemoServices(HostSettings settings)
    {
        Settings = settings;
        Directory.CreateDirectory(settings.DataDirectory);
        Users = new UserDirectory(settings.DataDirectory, TimeProvider.System);
        if (settings.Redis is string redis)
        {
            // Several nodes share one Redis; the store's scripts announce every revocation to all of them.
            RedisSessionStore redisStore = new(new RedisSessionStoreOptions { Configuration = redis, KeyPrefix = settings.RedisPrefix });
            _ownedStore = redisStore;
            Store = redisStore;
            if (settings.NodeCache is TimeSpan staleness)
            {
                RedisInvalidationBus bus = new(redisStore);
                _bus = bus;
                NodeCache = new CachingSessionStore(redisStore, bus, new NodeCacheOptions { Staleness = staleness });
                Store = NodeCache;
            }
        }
        else
        {
            LiteDbSessionStore liteDb = new(new LiteDbSessionStoreOptions { FilePath = Path.Combine(settings.DataDirectory, "sessions.db") });
            _ownedStore = liteDb;
            Store = liteDb;
            if (settings.NodeCache is TimeSpan staleness)
            {
                // One node: the cache hears its own changes in process.
                NodeCache = new CachingSessionStore(liteDb, new InProcessInvalidationBus(), new NodeCacheOptions { Staleness = staleness });
                Store = NodeCache;
            }
        }

        // The client address: the connection's peer, or behind a trusted proxy the hop it forwarded. Without
        // --trusted-proxy no forwarding header is believed.
        ClientAddressOptions addressOptions = new();
        foreach (string proxy in settings.TrustedProxies)
        {
            addressOptions.TrustedProxies.Add(proxy);
        }

        ClientAddresses = new ClientAddressResolver(addressOptions);

        // The sign-in risk check runs at every browser sign-in; with the MaxMind files it also knows places (country,
        // city, network operator), otherwise every place is unknown and only new devices are found.
        Location = settings.GeoIpCityFile is null && settings.GeoIpAsnFile is null
            ? null
            : new MaxMindLocationProvider(new MaxMindLocationOptions { CityDatabasePath = settings.GeoIpCityFile, AsnDatabasePath = settings.GeoIpAsnFile });

        SessionManagerBuilder sessions = new()
        {
            Store = Store,
            Options = new SessionOptions { MaxSessionsPerUser = settings.MaxSessionsPerUser },
            SignInRisk = new SignInRiskEvaluator(null, Location),
        };
        sessions.EventSinks.Add(new LogSink());
        Sessions = sessions.Build();

        // Access tokens in the RFC 9068 profile (ES256 unless --signing-alg names another algorithm), checked
        // online against the store so revocation and a password change end them at once. The key lives as
        // long as the process: a restart invalidates outstanding access tokens, and clients refresh.
        _signingKey = SigningKey.Generate(settings.SigningAlgorithm);
        KeyRing = new SigningKeyRing(_signingKey);
        AccessTokenBuilder accessTokens = new()
        {
            KeyRing = KeyRing,
            Store = Store,
            Options = new AccessTokenOptions { Issuer = settings.Origin, Audience = ApiAudience(settings), DefaultClientId = DefaultClientId },
        };
        AccessTokens = accessTokens.BuildIssuer();
        AccessTokenValidator = accessTokens.BuildValidator();

        // Refresh tokens only: the OAuth endpoints mint each access token themselves, because it names the
        // client and scope of its grant, which the demo keeps in the session's data bag.
        RefreshTokens = new RefreshTokenService(Sessions, new RefreshTokenOptions { GraceWindow = settings.RefreshGrace });

        // DPoP (RFC 9449): proofs at the token endpoint bind the grant's refresh family and its access tokens to the
        // client's key; the API then needs a fresh proof by that key with every call. Server nonces are always
        // required; proof ids are spent once in the store. --require-dpop refuses bearer tokens altogether.
        Dpop = new DpopProofValidatorBuilder
        {
            Store = Store,
            Options = { ReplayScope = settings.Origin, RequireNonce = true, RequireBoundTokens = settings.RequireDpop },
        }.Build();
        ApiAccess = new ResourceAccessValidator(AccessTokenValidator, Dpop, "DemoHost");

        // RFC 8414 metadata, so a standard client needs the issuer alone. Public clients only: no client
        // authentication at the token or revocation endpoint.
        Metadata = new AuthorizationServerMetadataBuilder
        {
            Issuer = settings.Origin,
            TokenEndpoint = new Uri(settings.BaseUri, "/oauth/token"),
            RevocationEndpoint = new Uri(settings.BaseUri, "/oauth/revoke"),
            JwksUri = new Uri(settings.BaseUri, "/.well-known/jwks.json"),
            KeyRing = KeyRing,
            GrantTypesSupported = { "password", "refresh_token" },
            TokenEndpointAuthMethodsSupported = { "none" },
            RevocationEndpointAuthMethodsSupported = { "none" },
            ScopesSupported = { OAuth.OAuthGrant.ProfileScope },
            DpopSigningAlgorithms = Dpop.AllowedAlgorithms,
        }.Build();

        SessionCookie = new SessionCookieBuilder(new SessionCookieOptions { MaxAge = TimeSpan.FromHours(12) });
        DeviceCookie = new SessionCookieBuilder(new SessionCookieOptions { Name = "__Host-device", MaxAge = TimeSpan.FromDays(365) });
        Csrf = CsrfTokenService.CreateWithRandomKey();

        // Sign-in has no session yet, so no CSRF token: it relies on Fetch Metadata / Origin and refuses
        // requests that carry neither. Session-bound posts carry a CSRF token; the origin check there only
        // adds a layer and lets non-browser clients (no such headers) through.
        // Device Bound Session Credentials: offered after sign-in. The keys live as long as the process; a restart
        // invalidates outstanding bound cookies and challenges, and browsers refresh with their registered key.
        byte[] dbscKey = System.Security.Cryptography.RandomNumberGenerator.GetBytes(DbscChallengeService.KeySize);
        DbscChallenges = new DbscChallengeService(dbscKey);
        DbscCookies = new DbscBoundCookieService(dbscKey, new DbscBoundCookieOptions { MaxAge = settings.DbscCookieLifetime });
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(dbscKey);
        Dbsc = new DbscSessionService(Sessions, DbscChallenges, DbscCookies);

        LoginOrigin = new RequestOriginPolicy(settings.Origin);
        SessionOrigin = new RequestOriginPolicy(settings.Origin, allowRequestsWithoutBrowserHeaders: true);
    }

    /// <summary>The <c>client_id</c> of grants whose token request named none.</summary>
    public const string DefaultClientId = "demohost";

    public HostSettings Settings { get; }

    public UserDirectory Users { get; }

    public ISessionStore Store { get; }

    /// <summary>The node cache in front of the store, when <c>--node-cache</c> is given.</summary>
    public CachingSessionStore? NodeCache { get; }

    /// <summary>Where client addresses are placed, or <see langword="null"/> without <c>--geoip-city</c>/<c>--geoip-asn</c>.</summary>
    public MaxMindLocationProvider? Location { get; }

    public ClientAddressResolver ClientAddresses { get; }

    /// <summary>Browser sessions and the sessions behind OAuth grants: 30-minute idle and 12-hour absolute limits (the library's defaults).</summary>
    public SessionManager Sessions { get; }

    public SigningKeyRing KeyRing { get; }

    public AccessTokenIssuer AccessTokens { get; }

    public AccessTokenValidator AccessTokenValidator { get; }

    /// <summary>The RFC 8414 document served at <c>/.well-known/oauth-authorization-server</c>.</summary>
    public AuthorizationServerMetadata Metadata { get; }

    /// <summary>Refresh-token rotation; the OAuth endpoints mint an access token with every issued or redeemed refresh token.</summary>
    public RefreshTokenService RefreshTokens { get; }

    /// <summary>DPoP proofs at the token endpoint and the API.</summary>
    public DpopProofValidator Dpop { get; }

    /// <summary>The API's authentication: DPoP-bound tokens with their proofs, and bearer tokens unless <c>--require-dpop</c>.</summary>
    public ResourceAccessValidator ApiAccess { get; }

    public SessionCookieBuilder SessionCookie { get; }

    public SessionCookieBuilder DeviceCookie { get; }

    public CsrfTokenService Csrf { get; }

    /// <summary>DBSC: registration, refresh and the bound-cookie check of every browser request.</summary>
    public DbscSessionService Dbsc { get; }

    public DbscChallengeService DbscChallenges { get; }

    public DbscBoundCookieService DbscCookies { get; }

    public RequestOriginPolicy LoginOrigin { get; }

    public RequestOriginPolicy SessionOrigin { get; }

    public TimeProvider Time => Sessions.TimeProvider;

    /// <summary>The client address of a request, through <see cref="ClientAddresses"/>; <see langword="null"/> when unknown.</summary>
    public IPAddress? ClientAddressOf(RequestContext context) =>
        ClientAddresses.Resolve(context.RemoteAddress, context.Header("Forwarded"), context.Header("X-Forwarded-For")).TryGetValue(out IPAddress? address)
            ? address
            : null;

    /// <summary>The audience of the host's access tokens (RFC 9068 <c>aud</c>), which its API requires.</summary>
    public static string ApiAudience(HostSettings settings) => settings.Origin + "/api";

    public void Dispose()
    {
        RefreshTokens.Dispose();
        Dpop.Dispose();
        Csrf.Dispose();
        DbscChallenges.Dispose();
        DbscCookies.Dispose();
        _signingKey.Dispose();
        NodeCache?.Dispose();
        _bus?.Dispose();
        _ownedStore.Dispose();
        Location?.Dispose();
    }

    /// <summary>Writes security events to the log: user, session id (a hash) and kind; never a token.</summary>
    private sealed class LogSink : ISessionEventSink
    {
        public ValueTask HandleAsync(SessionEvent sessionEvent, CancellationToken cancellationToken)
        {
            string detail = sessionEvent switch
            {
                NewDeviceSignIn d => $"new device ({d.Changes}, {d.UserAgentFamily})",

                // Coarse places only (city, country): the event never carries the address.
                UnusualSignIn u => $"unusual sign-in ({u.Reasons}; {u.Action}) from {u.Location?.ToString() ?? "an unknown place"}"
                    + (u.ImpossibleTravel is { } travel ? $", last seen at {travel.From} {travel.Elapsed.TotalMinutes:F0} minutes before" : string.Empty),
                // A token of a family already revoked (by sign-out or revocation) is most often a client that
                // missed the news, not a replayed token; only a spent token of a live family is reuse.
                RefreshTokenReuseDetected { FamilyWasRevoked: true } => "refresh token of a revoked grant presented: family and session stay revoked",
                RefreshTokenReuseDetected => "refresh token reuse: family and session revoked",
                SessionRevoked r => $"revoked ({r.Reason})",
                BoundSessionReplaySuspected b => $"bound session used without its device key ({b.Reason}): likely a copied cookie",
                _ => sessionEvent.GetType().Name,
            };
            Log.Write($"event user={sessionEvent.UserId} session={sessionEvent.SessionId} {detail}");
            return ValueTask.CompletedTask;
        }
    }
}
