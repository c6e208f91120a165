using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Xunit;

namespace SessionCore.Samples.Tests;

/// <summary>
/// Applications that know SessionCore only as NuGet packages: each is copied from <c>PackageConsumers/</c> into a
/// temporary folder outside the repository (so no Directory.*.props, central package management or project reference
/// reaches it), restored with SessionCore* mapped to the local package folder alone, then run with <c>dotnet run</c>.
/// </summary>
public sealed class PackageConsumerTests(LocalPackages packages) : IDisposable
{
    private static readonly TimeSpan s_runTimeout = TimeSpan.FromMinutes(10);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "sessioncore-consumer-tests", Path.GetRandomFileName());

    [Fact]
    public async Task Run_ConsoleAppOnLocalPackages_LivesASessionOnAnEmbeddedLiteDbFile()
    {
        PackageSet set = await packages.GetAsync();
        string app = CreateApp("Console", set);
        string database = Path.Combine(_root, "sessions.db");

        (int code, string output) = await DotnetCli.RunAsync(app, ["run", "--", database], s_runTimeout, TestContext.Current.CancellationToken);

        Assert.True(code == 0, output);
        string[] steps = Steps(output);
        string version = Regex.Escape(set.Version);
        Assert.Matches($@"^core-version: {version}\+[0-9a-f]{{40}}$", steps[0]);
        Assert.Matches($@"^litedb-version: {version}\+[0-9a-f]{{40}}$", steps[1]);
        Assert.Equal(
            [
                "sign-in: SignedIn",
                "validate: Valid",
                "refresh-issue: Issued",
                "access-token: Valid",
                "refresh-redeem: Rotated",
                "refresh-rotated: new token",
                "revoke: Done",
                "validate-after-revoke: Revoked",
                "refresh-after-revoke: Reused",
                "access-token-after-revoke: SessionRevoked",
                "validate-after-reopen: Revoked",
                "done",
            ],
            steps.Skip(2));
        Assert.True(File.Exists(database));
        AssertRestoredFromLocalFolder(app, set, "SessionCore", "SessionCore.Stores.LiteDb");
    }

    [Fact]
    public async Task Run_WebAppOnLocalPackages_SignsInAndOutOverKestrel()
    {
        PackageSet set = await packages.GetAsync();
        string app = CreateApp("Web", set);

        (int code, string output) = await DotnetCli.RunAsync(
            app, ["run", "--", Path.Combine(_root, "sessions.db")], s_runTimeout, TestContext.Current.CancellationToken);

        Assert.True(code == 0, output);
        string[] steps = Steps(output);
        Assert.Matches($@"^aspnetcore-version: {Regex.Escape(set.Version)}\+[0-9a-f]{{40}}$", steps[0]);
        Assert.Equal(
            [
                "listening: loopback",
                "anonymous: 401",
                "sign-in: 200 __Host-session",
                "me: 200 alice",
                "sign-out-without-csrf: 403",
                "sign-out: 200 Done",
                "me-after-sign-out: 401",
                "done",
            ],
            steps.Skip(1));
        AssertRestoredFromLocalFolder(app, set, "SessionCore", "SessionCore.AspNetCore", "SessionCore.Stores.LiteDb");
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    // The lines a consumer prints as "step: outcome" (and its final "done"), without build output.
    private static string[] Steps(string output) =>
        output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => Regex.IsMatch(l, "^([a-z][a-z-]*: .+|done)$")).ToArray();

    private string CreateApp(string name, PackageSet set)
    {
        string repository = DotnetCli.RepositoryRoot();
        Assert.False(
            Path.GetFullPath(_root).StartsWith(repository + Path.DirectorySeparatorChar, StringComparison.Ordinal),
            "the consumer must live outside the repository");

        // Files here end MSBuild's upward search, so nothing from a parent folder is imported.
        Directory.CreateDirectory(_root);
        File.WriteAllText(
            Path.Combine(_root, "Directory.Build.props"),
            $"<Project>\n  <PropertyGroup>\n    <SessionCoreVersion>{set.Version}</SessionCoreVersion>\n  </PropertyGroup>\n</Project>\n");
        File.WriteAllText(Path.Combine(_root, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(_root, "Directory.Packages.props"), "<Project />\n");

        // SessionCore and SessionCore.* come from the local folder only; everything else from nuget.org.
        File.WriteAllText(Path.Combine(_root, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{set.Folder}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="local">
                  <package pattern="SessionCore" />
                  <package pattern="SessionCore.*" />
                </packageSource>
                <packageSource key="nuget.org">
                  <package pattern="*" />
                </packageSource>
              </packageSourceMapping>
            </configuration>
            """);

        string app = Path.Combine(_root, name);
        Directory.CreateDirectory(app);
        foreach (string file in Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "PackageConsumers", name)))
        {
            File.Copy(file, Path.Combine(app, Path.GetFileName(file)));
        }

        return app;
    }

    // The consumer's restore graph holds the packages, at the packed version, taken from the local folder; no projects.
    private void AssertRestoredFromLocalFolder(string app, PackageSet set, params string[] ids)
    {
        using JsonDocument assets = JsonDocument.Parse(File.ReadAllText(Path.Combine(app, "obj", "project.assets.json")));
        JsonElement libraries = assets.RootElement.GetProperty("libraries");
        Assert.DoesNotContain(libraries.EnumerateObject(), l => l.Value.GetProperty("type").GetString() != "package");
        string globalPackages = assets.RootElement.GetProperty("packageFolders").EnumerateObject().First().Name;
        packages.RestoredInto(globalPackages);

        foreach (string id in ids)
        {
            Assert.Equal("package", libraries.GetProperty($"{id}/{set.Version}").GetProperty("type").GetString());
            string metadata = Path.Combine(globalPackages, id.ToLowerInvariant(), set.Version.ToLowerInvariant(), ".nupkg.metadata");
            using JsonDocument extracted = JsonDocument.Parse(File.ReadAllText(metadata));
            Assert.Equal(
                Path.TrimEndingDirectorySeparator(set.Folder),
                Path.TrimEndingDirectorySeparator(extracted.RootElement.GetProperty("source").GetString()!));
        }
    }
}
