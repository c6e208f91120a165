using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using SessionCore.Location.MaxMind;
using SessionCore.Risk;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Stores.LiteDb;
using SessionCore.Tokens;

namespace SessionCore.Tool;

/// <summary>
/// <c>sessioncore sessions list --litedb FILE --user USER [--json] [--geoip-city FILE] [--geoip-asn FILE]</c> prints a
/// user's live sessions with their places;
/// <c>sessioncore sessions revoke --litedb FILE --user USER [--session ID]</c> revokes all of them, or one
/// that belongs to the user; <c>sessioncore sessions break-glass --litedb FILE --confirm revoke-every-session</c>
/// revokes every session of every user. Exit 1 when the store cannot be opened or fails (for example while the
/// application that owns the file is running: a LiteDB file belongs to one process).
/// </summary>
internal static class SessionsCommand
{
    public const string Usage = """
          sessions list --litedb FILE --user USER [--json] [--geoip-city FILE] [--geoip-asn FILE]
                                                    print the user's live sessions: id, created, last seen,
                                                    device, authentication level and place (city, country as
                                                    kept at sign-in; with the MaxMind files, sessions without
                                                    one are placed by their coarse network), one per line or
                                                    as JSON
          sessions revoke --litedb FILE --user USER [--session ID]
                                                    revoke all of the user's sessions, or the one with this id
                                                    if it is the user's; prints how many were revoked
          sessions break-glass --litedb FILE --confirm revoke-every-session
                                                    revoke every session of every user at once (after a store or
                                                    signing-key compromise); sessions created later are unaffected
        """;

    private const string BreakGlassConfirmation = "revoke-every-session";

    private const string JsonFlag = "--json";

    private static readonly HashSet<string> s_listOptions = new(StringComparer.Ordinal) { "litedb", "user", "geoip-city", "geoip-asn" };
    private static readonly HashSet<string> s_revokeOptions = new(StringComparer.Ordinal) { "litedb", "user", "session" };
    private static readonly HashSet<string> s_breakGlassOptions = new(StringComparer.Ordinal) { "litedb", "confirm" };
    private static readonly HashSet<string> s_none = new(StringComparer.Ordinal);

    public static async Task<int> RunAsync(ToolContext context, string[] args)
    {
        if (args.Length == 0)
        {
            return await Program.UsageErrorAsync(context, "sessions needs a subcommand: list, revoke or break-glass").ConfigureAwait(false);
        }

        return args[0] switch
        {
            "list" => await ListAsync(context, args[1..]).ConfigureAwait(false),
            "revoke" => await RevokeAsync(context, args[1..]).ConfigureAwait(false),
            "break-glass" => await BreakGlassAsync(context, args[1..]).ConfigureAwait(false),
            _ => await Program.UsageErrorAsync(context, $"unknown sessions subcommand '{args[0]}'").ConfigureAwait(false),
        };
    }

    private static async Task<int> ListAsync(ToolContext context, string[] args)
    {
        // --json is the one flag without a value; the shared parser takes only NAME VALUE options.
        bool json = Array.IndexOf(args, JsonFlag) >= 0;
        args = Array.FindAll(args, a => a != JsonFlag);
        if (!CommandLine.TryParse(args, s_listOptions, s_none, out CommandLine? line, out string? error))
        {
            return await Program.UsageErrorAsync(context, error).ConfigureAwait(false);
        }

        if (line.Get("litedb") is not string file || line.Get("user") is not string user || line.Positional.Count > 0)
        {
            return await Program.UsageErrorAsync(context, "sessions list needs --litedb FILE and --user USER").ConfigureAwait(false);
        }

        if (!IsValidUser(user))
        {
            return await Program.UsageErrorAsync(context, "--user must be a non-empty user id").ConfigureAwait(false);
        }

        string? city = line.Get("geoip-city");
        string? asn = line.Get("geoip-asn");
        MaxMindLocationProvider? places = null;
        if (city is not null || asn is not null)
        {
            try
            {
                places = new MaxMindLocationProvider(new MaxMindLocationOptions { CityDatabasePath = city, AsnDatabasePath = asn, ReloadCheckInterval = TimeSpan.Zero });
            }
            catch (Exception ex) when (ex is MaxMindDatabaseException or ArgumentException)
            {
                await context.Error.WriteLineAsync($"cannot open the GeoIP database: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.Failure;
            }
        }

        using (places)
        {
            return await WithManagerAsync(context, file, async manager =>
            {
                SessionListResult listed = await manager.ListSessionsAsync(user).ConfigureAwait(false);
                if (!listed.TryGetValue(out IReadOnlyList<Session>? sessions))
                {
                    await context.Error.WriteLineAsync($"the store at '{file}' could not list the sessions").ConfigureAwait(false);
                    return ExitCodes.Failure;
                }

                await context.Out.WriteAsync(json ? ToJson(sessions, places) : ToText(sessions, places)).ConfigureAwait(false);
                return ExitCodes.Success;
            }).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The place of a session: the one kept at sign-in, else (with a database) the place of its coarse network's first
    /// address, which says where that network is today, not where the session was.
    /// </summary>
    private static (CoarseLocation? Place, string? From) PlaceOf(Session session, MaxMindLocationProvider? places)
    {
        if (session.Location is { } kept)
        {
            return (kept, "sign-in");
        }

        if (places is null || NetworkAddress(session.Device?.Network) is not IPAddress address)
        {
            return (null, null);
        }

        CoarseLocation? found = places.Lookup(address).TryGetValue(out GeoLocation? location) ? CoarseLocation.FromLocation(location) : null;
        return found is null || (found.City is null && found.CountryCode is null) ? (null, null) : (found, "network");
    }

    // The stored network is "a.b.c.0/24" or "x:y:z::/48": its first address.
    private static IPAddress? NetworkAddress(string? network)
    {
        int slash = network?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        return slash > 0 && IPAddress.TryParse(network.AsSpan(0, slash), out IPAddress? address) ? address : null;
    }

    private static async Task<int> RevokeAsync(ToolContext context, string[] args)
    {
        if (!CommandLine.TryParse(args, s_revokeOptions, s_none, out CommandLine? line, out string? error))
        {
            return await Program.UsageErrorAsync(context, error).ConfigureAwait(false);
        }

        if (line.Get("litedb") is not string file || line.Get("user") is not string user || line.Positional.Count > 0)
        {
            return await Program.UsageErrorAsync(context, "sessions revoke needs --litedb FILE and --user USER").ConfigureAwait(false);
        }

        if (!IsValidUser(user))
        {
            return await Program.UsageErrorAsync(context, "--user must be a non-empty user id").ConfigureAwait(false);
        }

        SessionId? one = null;
        if (line.Get("session") is string text)
        {
            if (!SessionId.TryParse(text, out SessionId id))
            {
                return await Program.UsageErrorAsync(context, "--session must be a session id as printed by 'sessions list' (43 characters of base64url)").ConfigureAwait(false);
            }

            one = id;
        }

        return await WithManagerAsync(context, file, async manager =>
        {
            int revoked;
            if (one is SessionId id)
            {
                // Checks that the session is the user's: an id alone cannot revoke someone else's session.
                SessionOperationStatus status = await manager.RevokeUserSessionAsync(user, id, RevocationReason.Administrative).ConfigureAwait(false);
                if (status == SessionOperationStatus.StoreUnavailable)
                {
                    await context.Error.WriteLineAsync($"the store at '{file}' could not revoke the session").ConfigureAwait(false);
                    return ExitCodes.Failure;
                }

                revoked = status == SessionOperationStatus.Done ? 1 : 0;
            }
            else
            {
                SessionRevocationResult all = await manager.RevokeAllAsync(user, RevocationReason.Administrative).ConfigureAwait(false);
                if (!all.IsSuccess)
                {
                    await context.Error.WriteLineAsync($"the store at '{file}' could not revoke the sessions").ConfigureAwait(false);
                    return ExitCodes.Failure;
                }

                revoked = all.Revoked.Count;
            }

            await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"revoked {revoked} session{(revoked == 1 ? string.Empty : "s")} of {user}")).ConfigureAwait(false);
            return ExitCodes.Success;
        }).ConfigureAwait(false);
    }

    private static async Task<int> BreakGlassAsync(ToolContext context, string[] args)
    {
        if (!CommandLine.TryParse(args, s_breakGlassOptions, s_none, out CommandLine? line, out string? error))
        {
            return await Program.UsageErrorAsync(context, error).ConfigureAwait(false);
        }

        if (line.Get("litedb") is not string file || string.IsNullOrEmpty(file))
        {
            return await Program.UsageErrorAsync(context, "sessions break-glass needs --litedb FILE").ConfigureAwait(false);
        }

        // A typed confirmation, not a flag: this signs out every user of the application.
        if (!string.Equals(line.Get("confirm"), BreakGlassConfirmation, StringComparison.Ordinal))
        {
            return await Program.UsageErrorAsync(context, $"sessions break-glass signs out every user; confirm with --confirm {BreakGlassConfirmation}").ConfigureAwait(false);
        }

        return await WithManagerAsync(context, file, async manager =>
        {
            if (await manager.RevokeEverySessionAsync().ConfigureAwait(false) != SessionOperationStatus.Done)
            {
                await context.Error.WriteLineAsync($"the store at '{file}' could not record the revocation").ConfigureAwait(false);
                return ExitCodes.Failure;
            }

            await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"revoked every session created up to {manager.TimeProvider.GetUtcNow():u}")).ConfigureAwait(false);
            await context.Out.WriteLineAsync("access tokens validated offline stay valid until they expire: rotate the signing key too (sessioncore keys new)").ConfigureAwait(false);
            return ExitCodes.Success;
        }).ConfigureAwait(false);
    }

    /// <summary>Returns why <paramref name="file"/> is not an unencrypted LiteDB 5 data file, or null when it is one.</summary>
    private static string? CheckLiteDbHeader(string file)
    {
        // LiteDB 5 writes its header page first: the marker text at offset 32, then the file format version (8).
        ReadOnlySpan<byte> marker = "** This is a LiteDB file **"u8;
        Span<byte> header = stackalloc byte[32 + 27 + 1];
        try
        {
            using FileStream stream = new(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            if (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length)
            {
                return "it is too short to be a LiteDB file";
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "it cannot be read: " + ex.Message;
        }

        return header.Slice(32, marker.Length).SequenceEqual(marker) && header[^1] == 8
            ? null
            : "it is not an unencrypted LiteDB 5 data file";
    }

    private static bool IsValidUser(string user) => !string.IsNullOrWhiteSpace(user) && user.Length <= 1024;

    private static async Task<int> WithManagerAsync(ToolContext context, string file, Func<SessionManager, Task<int>> action)
    {
        // An operator tool must not create an empty store by mistyping a path.
        if (!File.Exists(file))
        {
            await context.Error.WriteLineAsync($"no LiteDB file at '{file}'").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        // Opening a file for writing lets LiteDB reformat it: never hand it anything but a LiteDB data file.
        string? notAStore = CheckLiteDbHeader(file);
        if (notAStore is not null)
        {
            await context.Error.WriteLineAsync($"refusing to open '{file}': {notAStore}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        LiteDbSessionStore store;
        try
        {
            store = new LiteDbSessionStore(new LiteDbSessionStoreOptions { FilePath = file, PurgeInterval = null });
        }
        catch (SessionStoreException ex)
        {
            await context.Error.WriteLineAsync($"cannot open the store at '{file}': {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        await using (store.ConfigureAwait(false))
        {
            SessionManager manager = new SessionManagerBuilder { Store = store }.Build();
            return await action(manager).ConfigureAwait(false);
        }
    }

    private static string ToText(IReadOnlyList<Session> sessions, MaxMindLocationProvider? places)
    {
        StringBuilder text = new();
        foreach (Session s in sessions)
        {
            (CoarseLocation? place, string? from) = PlaceOf(s, places);
            string where = place is null ? "place unknown" : from == "network" ? $"place {Place(place)} (by network)" : $"place {Place(place)}";
            text.Append(CultureInfo.InvariantCulture, $"{s.Id}  created {Time(s.CreatedAt)}  last seen {Time(s.LastSeenAt)}  level {s.AuthenticationLevel}  {Device(s)}  {where}")
                .Append('\n');
        }

        return text.ToString();
    }

    private static string ToJson(IReadOnlyList<Session> sessions, MaxMindLocationProvider? places)
    {
        using MemoryStream buffer = new();
        using (Utf8JsonWriter writer = new(buffer))
        {
            writer.WriteStartArray();
            foreach (Session s in sessions)
            {
                writer.WriteStartObject();
                writer.WriteString("id", s.Id.ToString());
                writer.WriteString("userId", s.UserId);
                writer.WriteString("createdAt", Time(s.CreatedAt));
                writer.WriteString("lastSeenAt", Time(s.LastSeenAt));
                writer.WriteString("idleExpiresAt", Time(s.IdleExpiresAt));
                writer.WriteString("absoluteExpiresAt", Time(s.AbsoluteExpiresAt));
                writer.WriteString("authenticatedAt", Time(s.AuthenticatedAt));
                writer.WriteNumber("authenticationLevel", s.AuthenticationLevel);
                writer.WriteString("device", s.Device?.UserAgent);
                writer.WriteString("network", s.Device?.Network);
                (CoarseLocation? place, string? from) = PlaceOf(s, places);
                if (place is null)
                {
                    writer.WriteNull("location");
                }
                else
                {
                    // City and country only; "from" says whether it was kept at sign-in or looked up by network now.
                    writer.WriteStartObject("location");
                    writer.WriteString("city", place.City);
                    writer.WriteString("country", place.CountryCode);
                    writer.WriteString("from", from);
                    writer.WriteEndObject();
                }

                writer.WriteStartArray("signInRisk");
                foreach (SignInRiskReason reason in Enum.GetValues<SignInRiskReason>())
                {
                    if (reason != SignInRiskReason.None && (s.SignInRisk & reason) == reason)
                    {
                        writer.WriteStringValue(reason.ToString());
                    }
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    // City and country only (a control character in a city name was refused when the place was made).
    private static string Place(CoarseLocation place) =>
        place.City is not null && place.CountryCode is not null ? $"{place.City}, {place.CountryCode}" : place.City ?? place.CountryCode ?? "unknown";

    private static string Device(Session s) =>
        s.Device is null ? "device unknown" : $"{(string.IsNullOrEmpty(s.Device.UserAgent) ? "unknown agent" : s.Device.UserAgent)}, {s.Device.Network ?? "unknown network"}";
}
