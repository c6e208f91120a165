using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using SessionCore.Devices;
using SessionCore.Diagnostics;
using SessionCore.Jwt;
using SessionCore.Keys;
using SessionCore.Rotation;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Stores.LiteDb;

namespace SessionCore.Samples.Quickstart;

/// <summary>
/// The walkthrough: one user's sessions from sign-in to logout, on a fresh LiteDB file. Every step prints
/// what happened and checks it against what the library promises.
/// </summary>
internal sealed partial class Walkthrough
{
    public const string DefaultDataDirectory = ".data/quickstart";

    private const string User = "alice";

    private const string Usage = """
        usage: dotnet run --project samples/Quickstart [-- --data DIR]

          --data DIR   folder for the session store file (sessions.db), replaced on every run;
                       default ./.data/quickstart relative to the current directory
        """;

    // A laptop and a phone, as a host would describe them from the request: user agent, remote address and
    // the device-id cookie it set on the first visit.
    private const string LaptopAgent = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
    private const string LaptopAddress = "203.0.113.7";
    private const string PhoneAgent = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
    private const string PhoneAddress = "198.51.100.23";

    private readonly Transcript _t;
    private readonly SampleClock _clock;
    private readonly SessionManager _sessions;
    private readonly RefreshTokenService _refresh;
    private readonly AccessTokenIssuer _issuer;
    private readonly AccessTokenValidator _validator;
    private readonly string _laptopDeviceId;

    private Walkthrough(Transcript transcript, SampleClock clock, SessionManager sessions, RefreshTokenService refresh, AccessTokenIssuer issuer, AccessTokenValidator validator)
    {
        _t = transcript;
        _clock = clock;
        _sessions = sessions;
        _refresh = refresh;
        _issuer = issuer;
        _validator = validator;
        _laptopDeviceId = sessions.MintDeviceId();
    }

    /// <summary>Runs the walkthrough; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        string? directory = DefaultDataDirectory;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "-h" or "--help":
                    await output.WriteLineAsync(Usage);
                    return 0;
                case "--data" when i + 1 < args.Length:
                    directory = args[++i];
                    break;
                case string arg when arg.StartsWith("--data=", StringComparison.Ordinal) && arg.Length > "--data=".Length:
                    directory = arg["--data=".Length..];
                    break;
                default:
                    await error.WriteLineAsync($"quickstart: unexpected argument '{args[i]}'");
                    await error.WriteLineAsync(Usage);
                    return 2;
            }
        }

        string file;
        try
        {
            file = PrepareDataFile(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            await error.WriteLineAsync($"quickstart: cannot prepare the data folder '{directory}': {ex.Message}");
            return 1;
        }

        Transcript transcript = new(output);
        SampleClock clock = new();
        try
        {
            // The purge timer is off: the run lasts seconds, and PurgeExpiredAsync is there for hosts that purge themselves.
            await using LiteDbSessionStore store = new(new LiteDbSessionStoreOptions { FilePath = file, PurgeInterval = null }, clock);
            SessionManagerBuilder builder = new() { Store = store, TimeProvider = clock };
            builder.EventSinks.Add(transcript);
            SessionManager sessions = builder.Build();

            // Access tokens: ES256 with a key made for this run. Online validation checks the session and the
            // user's security epoch in the store, so revocation reaches access tokens at once.
            using SigningKey key = SigningKey.Generate(SigningAlgorithm.Es256);
            AccessTokenBuilder tokens = new()
            {
                KeyRing = new SigningKeyRing(key, clock),
                Options = { Issuer = "https://login.example", Audience = "https://api.example", DefaultClientId = "quickstart" },
                TimeProvider = clock,
                Store = store,
            };
            AccessTokenIssuer issuer = tokens.BuildIssuer();
            AccessTokenValidator validator = tokens.BuildValidator();
            // Given the issuer, every issued or redeemed refresh token comes with a fresh access token.
            using RefreshTokenService refresh = new(sessions, new RefreshTokenOptions { GraceWindow = TimeSpan.FromSeconds(10) }, issuer);

            transcript.Heading($"SessionCore quickstart: the life of {User}'s sessions");
            transcript.Heading($"store: LiteDB file {file} (fresh for this run)");
            await new Walkthrough(transcript, clock, sessions, refresh, issuer, validator).RunStepsAsync();
            transcript.Heading(string.Empty);
            transcript.Heading("Every step behaved as expected.");
            return 0;
        }
        catch (StepFailedException ex)
        {
            await error.WriteLineAsync($"quickstart: a step did not behave as expected: {ex.Message}");
            return 1;
        }
        catch (SessionStoreException ex)
        {
            await error.WriteLineAsync($"quickstart: the session store failed: {ex.Message}");
            return 1;
        }
    }

    private static string PrepareDataFile(string directory)
    {
        Directory.CreateDirectory(directory);
        string file = Path.Combine(directory, "sessions.db");

        // Refuse to pull the file from under a store that has it open (an earlier run still going, or an
        // application pointed at the same folder): the lock file is held exclusively while a store is open.
        string lockFile = file + ".sessioncore-lock";
        if (File.Exists(lockFile))
        {
            using FileStream probe = new(lockFile, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        }

        // A fresh store every run: the database, LiteDB's log and the store's lock file.
        foreach (string path in new[] { file, Path.Combine(directory, "sessions-log.db"), lockFile })
        {
            File.Delete(path);
        }

        return file;
    }

    private async Task RunStepsAsync()
    {
        // 1. Sign-in. The host has checked alice's password; the library creates the session.
        _t.Step(1, "Sign in on a laptop (the host has just checked alice's password)");
        SignInResult signIn = await _sessions.SignInAsync(new SignInRequest(User)
        {
            Client = new ClientInfo(LaptopAgent, LaptopAddress, _laptopDeviceId),
        });
        IReadOnlyList<SessionEvent> events = _t.Events();
        _t.Ok(signIn.IsSuccess, $"signed in: {signIn.Status}");
        string laptop = signIn.Value.Reveal();
        _t.Note($"session token  {Transcript.Redact(laptop)}  (the client keeps it, e.g. in a __Host-session cookie)");
        _t.Note($"session id     {Transcript.Short(signIn.Session.Id)}  (SHA-256 of the token: all the store ever sees)");
        _t.Note($"device         {signIn.Session.Device?.UserAgent}, network {signIn.Session.Device?.Network}, authentication level {signIn.Session.AuthenticationLevel}");
        _t.Ok(signIn.IsNewDevice && events.OfType<NewDeviceSignIn>().Any(e => e.IsFirstDevice), $"first sign-in from this device reported as new ({signIn.DeviceChange})");

        // 2. Validate, as on every request.
        _t.Step(2, "Validate the token, as the host does on every request");
        SessionValidationResult check = await _sessions.ValidateAsync(laptop);
        _t.Ok(check.IsValid && check.Value.UserId == User, $"valid: user {check.Value.UserId}, level {check.Value.AuthenticationLevel}, idle expiry {check.Value.IdleExpiresAt:HH:mm:ss}, absolute expiry {check.Value.AbsoluteExpiresAt:HH:mm:ss} UTC");
        SessionValidationResult junk = await _sessions.ValidateAsync("sc_not-a-token");
        _t.Ok(!junk.IsValid, $"a made-up token is refused without an exception: {junk.Status}");

        // 3. Step-up: a privilege change always regenerates the session under a new token.
        _t.Step(3, "Step up to multi-factor: the session is regenerated under a new token");
        SessionRegenerationResult stepUp = await _sessions.RegenerateAsync(laptop, new SessionChange { AuthenticationLevel = 2, Reauthenticated = true });
        _t.Events();
        _t.Ok(stepUp.IsSuccess, $"regenerated: level {stepUp.Session?.AuthenticationLevel}, new token {Transcript.Redact(stepUp.Value.Reveal())}");
        SessionValidationResult old = await _sessions.ValidateAsync(laptop);
        _t.Ok(old.Status == SessionValidationStatus.Revoked, $"the pre-step-up token is refused: {old.Status}");
        laptop = stepUp.Value.Reveal();
        FreshnessResult fresh = await _sessions.CheckFreshnessAsync(laptop, new FreshnessRequirement(TimeSpan.FromMinutes(5), minimumAuthenticationLevel: 2));
        _t.Ok(fresh.Status == FreshnessStatus.Fresh, $"fresh enough for a sensitive operation (level 2, under 5 minutes): {fresh.Status}");

        // 4 and 5. Access token and refresh rotation.
        laptop = await AccessAndRefreshAsync(laptop);

        // 7. Password change: every other session dies; the one the user acted from is kept under a new token.
        _t.Step(7, "Sign in again on the laptop and on a phone, then change the password from the laptop");
        SignInResult again = await _sessions.SignInAsync(new SignInRequest(User) { Client = new ClientInfo(LaptopAgent, LaptopAddress, _laptopDeviceId) });
        events = _t.Events();
        _t.Ok(again.IsSuccess && !again.IsNewDevice && !events.OfType<NewDeviceSignIn>().Any(), "laptop signed in again: a known device, no alert");
        SignInResult phone = await _sessions.SignInAsync(new SignInRequest(User) { Client = new ClientInfo(PhoneAgent, PhoneAddress, _sessions.MintDeviceId()) });
        events = _t.Events();
        _t.Ok(phone.IsSuccess && phone.IsNewDevice && events.OfType<NewDeviceSignIn>().Any(), $"phone signed in: new device reported ({phone.DeviceChange})");
        IReadOnlyList<Session>? live = (await _sessions.ListSessionsAsync(User)).Sessions;
        _t.Ok(live is { Count: 2 }, $"{live?.Count} live sessions: {string.Join(", ", live?.Select(s => $"{s.Device?.UserAgent} {s.Device?.Network}") ?? [])}");

        string laptopBefore = again.Value.Reveal();
        string phoneToken = phone.Value.Reveal();
        string phoneAccess = _issuer.Issue(AccessTokenRequest.ForSession(phone.Session));
        UserInvalidationResult changed = await _sessions.InvalidateUserAsync(User, InvalidationTrigger.PasswordChanged, keep: laptopBefore);
        _t.Events();
        _t.Ok(changed.Status == SessionOperationStatus.Done && changed.Revoked.Count == 1 && changed.Kept is { IsSuccess: true },
            $"password changed: {changed.Revoked.Count} other session revoked, security epoch now {changed.SecurityEpoch}, laptop kept under {Transcript.Redact(changed.Kept?.Token?.Reveal() ?? string.Empty)}");
        SessionValidationResult phoneCheck = await _sessions.ValidateAsync(phoneToken);
        _t.Ok(phoneCheck.Status == SessionValidationStatus.Revoked, $"the phone's token is refused: {phoneCheck.Status}");
        AccessTokenValidationResult phoneApi = await _validator.ValidateAsync(phoneAccess);
        _t.Ok(!phoneApi.IsSuccess, $"the phone's access token, though unexpired, is refused too: {phoneApi.Status}");
        SessionValidationResult laptopOld = await _sessions.ValidateAsync(laptopBefore);
        _t.Ok(laptopOld.Status == SessionValidationStatus.Revoked, $"the laptop's previous token is refused too: {laptopOld.Status}");
        laptop = changed.Kept!.Value.Reveal();
        SessionValidationResult kept = await _sessions.ValidateAsync(laptop);
        _t.Ok(kept.IsValid && kept.Value.SecurityEpoch == changed.SecurityEpoch, $"the kept laptop session is valid at epoch {kept.Value.SecurityEpoch}");

        // 8. Logout.
        _t.Step(8, "Log out on the laptop");
        SessionOperationStatus logout = await _sessions.RevokeAsync(laptop);
        _t.Events();
        _t.Ok(logout == SessionOperationStatus.Done, $"logged out: {logout}");
        SessionValidationResult after = await _sessions.ValidateAsync(laptop);
        _t.Ok(after.Status == SessionValidationStatus.Revoked, $"the token is refused: {after.Status}");
        live = (await _sessions.ListSessionsAsync(User)).Sessions;
        _t.Ok(live is { Count: 0 }, $"{User} has {live?.Count} live sessions");
    }
}
