using System;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using SessionCore.Devices;
using SessionCore.Sessions;
using SessionCore.Stores.LiteDb;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.Tool.Tests;

public sealed class SessionsCommandTests
{
    private const string FirefoxOnLinux = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";

    [Fact]
    public async Task List_UserWithSessions_PrintsOneLinePerLiveSessionOfThatUserOnly()
    {
        using ToolRunner tool = new();
        string file = tool.PathOf("sessions.db");
        Seeded seeded = await SeedAsync(file);

        (int code, string output, string error) = await tool.RunAsync("sessions", "list", "--litedb", file, "--user", "alice");

        Assert.Equal(0, code);
        Assert.Empty(error);
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Single(lines, l => l.StartsWith(seeded.AliceLaptop.Id, StringComparison.Ordinal) && l.Contains("Firefox on Linux, 203.0.113.0/24", StringComparison.Ordinal) && l.Contains("level 2", StringComparison.Ordinal));
        Assert.Single(lines, l => l.StartsWith(seeded.AlicePhone.Id, StringComparison.Ordinal) && l.Contains("level 1", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.Matches(@"created \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ  last seen \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", l));
        Assert.DoesNotContain(seeded.Bob.Id, output, StringComparison.Ordinal);
        Assert.DoesNotContain(seeded.AliceRevokedId, output, StringComparison.Ordinal);
        Assert.DoesNotContain("sc_", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_FileHeldOpenByARunningHost_RefusedWithExitOne()
    {
        using ToolRunner tool = new();
        string file = tool.PathOf("sessions.db");
        await SeedAsync(file);
        using LiteDbSessionStore host = new(new LiteDbSessionStoreOptions { FilePath = file, PurgeInterval = null });

        (int code, string output, string error) = await tool.RunAsync("sessions", "revoke", "--litedb", file, "--user", "alice");

        Assert.Equal(1, code);
        Assert.Empty(output);
        Assert.NotEmpty(error);
        Assert.NotEmpty(await host.ListUserSessionsAsync("alice", new SessionManagerBuilder { Store = host }.Build().Rules, DateTimeOffset.UtcNow, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task List_Json_PrintsAnArrayOfSessions()
    {
        using ToolRunner tool = new();
        string file = tool.PathOf("sessions.db");
        Seeded seeded = await SeedAsync(file);

        (int code, string output, _) = await tool.RunAsync("sessions", "list", "--json", "--litedb", file, "--user", "alice");

        Assert.Equal(0, code);
        using JsonDocument json = JsonDocument.Parse(output);
        JsonElement[] sessions = [.. json.RootElement.EnumerateArray()];
        Assert.Equal(2, sessions.Length);
        JsonElement laptop = Assert.Single(sessions, s => s.GetProperty("id").GetString() == seeded.AliceLaptop.Id);
        Assert.Equal("alice", laptop.GetProperty("userId").GetString());
        Assert.Equal(2, laptop.GetProperty("authenticationLevel").GetInt32());
        Assert.Equal("Firefox on Linux", laptop.GetProperty("device").GetString());
        Assert.Equal("203.0.113.0/24", laptop.GetProperty("network").GetString());
        Assert.True(laptop.GetProperty("createdAt").TryGetDateTimeOffset(out _));
        Assert.True(laptop.GetProperty("lastSeenAt").TryGetDateTimeOffset(out _));
    }

    [Fact]
    public async Task List_UserWithoutSessions_PrintsNothing()
    {
        using ToolRunner tool = new();
        string file = tool.PathOf("sessions.db");
        await SeedAsync(file);

        (int code, string output, string error) = await tool.RunAsync("sessions", "list", "--litedb", file, "--user", "carol");

        Assert.Equal(0, code);
        Assert.Empty(output);
        Assert.Empty(error);
    }

    [Fact]
    public async Task Revoke_AllOfUser_RevokesEveryLiveSessionOfThatUserOnly()
    {
        using ToolRunner tool = new();
        string file = tool.PathOf("sessions.db");
        Seeded seeded = await SeedAsync(file);

        (int code, string output, string error) = await tool.RunAsync("sessions", "revoke", "--litedb", file, "--user", "alice");

        Assert.Equal(0, code);
        Assert.Empty(error);
        Assert.Equal("revoked 2 sessions of alice", output.TrimEnd());
        await using LiteDbSessionStore store = Open(file);
        SessionManager manager = new SessionManagerBuilder { Store = store }.Build();
        Assert.Equal(SessionValidationStatus.Revoked, (await manager.ValidateAsync(seeded.AliceLaptop.Token, TestContext.Current.CancellationToken)).Status);
        Assert.Equal(SessionValidationStatus.Revoked, (await manager.ValidateAsync(seeded.AlicePhone.Token, TestContext.Current.CancellationToken)).Status);
        Assert.True((await manager.ValidateAsync(seeded.Bob.Token, TestContext.Current.CancellationToken)).IsValid);
        Assert.Empty((await manager.ListSessionsAsync("alice", TestContext.Current.CancellationToken)).Value);
    }

    [Fact]
    public async Task Revoke_OneSession_RevokesItOnlyWhenItBelongsToTheUser()
    {
        using ToolRunner tool = new();
        string file = tool.PathOf("sessions.db");
        Seeded seeded = await SeedAsync(file);

        (int foreignCode, string foreign, _) = await tool.RunAsync("sessions", "revoke", "--litedb", file, "--user", "alice", "--session", seeded.Bob.Id);
        (int ownCode, string own, _) = await tool.RunAsync("sessions", "revoke", "--litedb", file, "--user", "alice", "--session", seeded.AlicePhone.Id);
        (int againCode, string again, _) = await tool.RunAsync("sessions", "revoke", "--litedb", file, "--user", "alice", "--session", seeded.AlicePhone.Id);

        Assert.Equal((0, "revoked 0 sessions of alice"), (foreignCode, foreign.TrimEnd()));
        Assert.Equal((0, "revoked 1 session of alice"), (ownCode, own.TrimEnd()));
        Assert.Equal((0, "revoked 0 sessions of alice"), (againCode, again.TrimEnd()));
        await using LiteDbSessionStore store = Open(file);
        SessionManager manager = new SessionManagerBuilder { Store = store }.Build();
        Assert.True((await manager.ValidateAsync(seeded.Bob.Token, TestContext.Current.CancellationToken)).IsValid);
        Assert.True((await manager.ValidateAsync(seeded.AliceLaptop.Token, TestContext.Current.CancellationToken)).IsValid);
        Assert.Equal(SessionValidationStatus.Revoked, (await manager.ValidateAsync(seeded.AlicePhone.Token, TestContext.Current.CancellationToken)).Status);
        Session revoked = (await store.FindAsync(SessionId.Parse(seeded.AlicePhone.Id), TestContext.Current.CancellationToken))!;
        Assert.Equal(RevocationReason.Administrative, revoked.RevocationReason);
    }

    [Fact]
    public async Task BreakGlass_Confirmed_RevokesEverySessionOfEveryUserButNotLaterOnes()
    {
        using ToolRunner tool = new();
        string file = tool.PathOf("sessions.db");
        Seeded seeded = await SeedAsync(file);

        (int code, string output, string error) = await tool.RunAsync("sessions", "break-glass", "--litedb", file, "--confirm", "revoke-every-session");

        Assert.Equal(0, code);
        Assert.Empty(error);
        Assert.StartsWith("revoked every session created up to ", output, StringComparison.Ordinal);
        Assert.Contains("rotate the signing key", output, StringComparison.Ordinal);
        await using LiteDbSessionStore store = Open(file);
        SessionManager manager = new SessionManagerBuilder { Store = store }.Build();
        foreach (string token in (string[])[seeded.AliceLaptop.Token, seeded.AlicePhone.Token, seeded.Bob.Token])
        {
            Assert.Equal(SessionValidationStatus.Revoked, (await manager.ValidateAsync(token, TestContext.Current.CancellationToken)).Status);
        }

        Assert.Empty((await manager.ListSessionsAsync("alice", TestContext.Current.CancellationToken)).Value);
        await Task.Delay(TimeSpan.FromMilliseconds(5), TestContext.Current.CancellationToken);
        SignInResult later = await manager.SignInAsync(new SignInRequest("alice"), TestContext.Current.CancellationToken);
        Assert.True((await manager.ValidateAsync(later.Value, TestContext.Current.CancellationToken)).IsValid);
    }

    [Theory]
    [InlineData("sessions", "break-glass", "--litedb", "x.db")]
    [InlineData("sessions", "break-glass", "--litedb", "x.db", "--confirm", "yes")]
    [InlineData("sessions", "break-glass", "--confirm", "revoke-every-session")]
    public async Task BreakGlass_WithoutTheTypedConfirmation_IsAUsageErrorAndChangesNothing(params string[] args)
    {
        using ToolRunner tool = new();
        string file = tool.PathOf("sessions.db");
        Seeded seeded = await SeedAsync(file);
        string[] pointed = [.. System.Linq.Enumerable.Select(args, a => a == "x.db" ? file : a)];

        (int code, string output, _) = await tool.RunAsync(pointed);

        Assert.Equal(2, code);
        Assert.Empty(output);
        await using LiteDbSessionStore store = Open(file);
        SessionManager manager = new SessionManagerBuilder { Store = store }.Build();
        Assert.True((await manager.ValidateAsync(seeded.Bob.Token, TestContext.Current.CancellationToken)).IsValid);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# notes\nnot a database, but somebody's file\n")]
    [InlineData("long")]
    public async Task ListAndRevoke_FileThatIsNotALiteDbStore_RefusedAndLeftUntouched(string content)
    {
        using ToolRunner tool = new();
        string file = tool.PathOf("notes.txt");
        byte[] bytes = content == "long"
            ? System.Text.Encoding.ASCII.GetBytes(string.Join('\n', Enumerable.Range(1, 3000)))
            : System.Text.Encoding.UTF8.GetBytes(content);
        await System.IO.File.WriteAllBytesAsync(file, bytes, TestContext.Current.CancellationToken);

        (int listCode, string listOut, string listError) = await tool.RunAsync("sessions", "list", "--litedb", file, "--user", "alice");
        (int revokeCode, string revokeOut, _) = await tool.RunAsync("sessions", "revoke", "--litedb", file, "--user", "alice");

        Assert.Equal((1, string.Empty), (listCode, listOut));
        Assert.Equal((1, string.Empty), (revokeCode, revokeOut));
        Assert.StartsWith("refusing to open", listError, StringComparison.Ordinal);
        Assert.Equal(bytes, await System.IO.File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken));
        Assert.False(System.IO.File.Exists(file + ".sessioncore-lock"));
    }

    [Fact]
    public async Task ListAndRevoke_StoreHeldByAnotherOwner_ExitOne()
    {
        using ToolRunner tool = new();
        string file = tool.PathOf("sessions.db");
        await SeedAsync(file);
        await using LiteDbSessionStore running = Open(file);

        (int listCode, string listOut, string listError) = await tool.RunAsync("sessions", "list", "--litedb", file, "--user", "alice");
        (int revokeCode, string revokeOut, string revokeError) = await tool.RunAsync("sessions", "revoke", "--litedb", file, "--user", "alice");

        Assert.Equal((1, string.Empty), (listCode, listOut));
        Assert.Equal((1, string.Empty), (revokeCode, revokeOut));
        Assert.StartsWith("cannot open the store", listError, StringComparison.Ordinal);
        Assert.StartsWith("cannot open the store", revokeError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListAndRevoke_MissingFile_ExitOneWithoutCreatingIt()
    {
        using ToolRunner tool = new();
        string file = tool.PathOf("missing.db");

        (int listCode, _, string error) = await tool.RunAsync("sessions", "list", "--litedb", file, "--user", "alice");
        (int revokeCode, _, _) = await tool.RunAsync("sessions", "revoke", "--litedb", file, "--user", "alice");

        Assert.Equal(1, listCode);
        Assert.Equal(1, revokeCode);
        Assert.Contains("no LiteDB file", error, StringComparison.Ordinal);
        Assert.False(System.IO.File.Exists(file));
    }

    [Theory]
    [InlineData("sessions")]
    [InlineData("sessions", "purge")]
    [InlineData("sessions", "list", "--user", "alice")]
    [InlineData("sessions", "list", "--litedb", "x.db")]
    [InlineData("sessions", "list", "--litedb", "x.db", "--user", " ")]
    [InlineData("sessions", "list", "--litedb", "x.db", "--user", "alice", "--session", "x")]
    [InlineData("sessions", "revoke", "--litedb", "x.db")]
    [InlineData("sessions", "revoke", "--litedb", "x.db", "--user", "alice", "--session", "not-a-session-id")]
    [InlineData("sessions", "revoke", "--litedb", "x.db", "--user", "alice", "extra")]
    [InlineData("sessions", "revoke", "--litedb", "x.db", "--user", "alice", "--json")]
    public async Task Sessions_UsageError_ExitsTwo(params string[] args)
    {
        using ToolRunner tool = new();

        (int code, string output, string error) = await tool.RunAsync(args);

        Assert.Equal(2, code);
        Assert.Empty(output);
        Assert.Contains("sessioncore --help", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_ListsTheSessionsCommands()
    {
        using ToolRunner tool = new();

        (int code, string output, _) = await tool.RunAsync("--help");

        Assert.Equal(0, code);
        Assert.Contains("sessions list --litedb FILE --user USER [--json]", output, StringComparison.Ordinal);
        Assert.Contains("sessions revoke --litedb FILE --user USER [--session ID]", output, StringComparison.Ordinal);
        Assert.Contains("sessions break-glass --litedb FILE --confirm revoke-every-session", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RealProcess_ListThenRevoke_LoadsTheLiteDbStoreAndUsesExitCodes()
    {
        using ToolRunner tool = new();
        string file = tool.PathOf("sessions.db");
        Seeded seeded = await SeedAsync(file);

        (int listCode, string listed, string listError) = await RunProcessAsync("sessions", "list", "--litedb", file, "--user", "alice", "--json");
        (int revokeCode, string revoked, _) = await RunProcessAsync("sessions", "revoke", "--litedb", file, "--user", "alice");
        (int usageCode, _, _) = await RunProcessAsync("sessions", "revoke", "--litedb", file);

        Assert.True(listCode == 0, listError);
        Assert.Contains(seeded.AliceLaptop.Id, listed, StringComparison.Ordinal);
        Assert.Equal(0, revokeCode);
        Assert.Equal("revoked 2 sessions of alice", revoked.TrimEnd());
        Assert.Equal(2, usageCode);
    }

    private static async Task<(int ExitCode, string Out, string Error)> RunProcessAsync(params string[] args)
    {
        string assembly = System.IO.Path.Combine(AppContext.BaseDirectory, "SessionCore.Tool.dll");
        System.Diagnostics.ProcessStartInfo start = new("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(assembly);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using System.Diagnostics.Process process = System.Diagnostics.Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        Task<string> error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await output, await error);
    }

    private static LiteDbSessionStore Open(string file) => new(new LiteDbSessionStoreOptions { FilePath = file, PurgeInterval = null });

    /// <summary>Alice on a laptop (stepped up to level 2) and a phone, one revoked session of hers, and Bob.</summary>
    private static async Task<Seeded> SeedAsync(string file)
    {
        await using LiteDbSessionStore store = Open(file);
        SessionManager manager = new SessionManagerBuilder { Store = store }.Build();
        SignInResult laptop = await manager.SignInAsync(new SignInRequest("alice") { Client = new ClientInfo(FirefoxOnLinux, "203.0.113.7", null) });
        SessionRegenerationResult stepUp = await manager.RegenerateAsync(laptop.Value, new SessionChange { AuthenticationLevel = 2 });
        SignInResult phone = await manager.SignInAsync(new SignInRequest("alice"));
        SignInResult gone = await manager.SignInAsync(new SignInRequest("alice"));
        Assert.Equal(SessionOperationStatus.Done, await manager.RevokeAsync(gone.Value.Reveal()));
        SignInResult bob = await manager.SignInAsync(new SignInRequest("bob"));
        Assert.Equal(3, (await manager.ListSessionsAsync("alice")).Value.Count + (await manager.ListSessionsAsync("bob")).Value.Count);
        return new Seeded(
            new Held(stepUp.Value.Reveal(), stepUp.Session!.Id.ToString()),
            new Held(phone.Value.Reveal(), phone.Session!.Id.ToString()),
            gone.Session!.Id.ToString(),
            new Held(bob.Value.Reveal(), bob.Session!.Id.ToString()));
    }

    private sealed record Held(string Token, string Id);

    private sealed record Seeded(Held AliceLaptop, Held AlicePhone, string AliceRevokedId, Held Bob);
}
