using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using System.Xml.Linq;
using Xunit;

namespace SessionCore.Samples.Tests;

/// <summary>
/// What the packed packages hold: readme, licence, repository, XML docs, symbols, exactly the declared dependencies
/// and nothing from the tests or samples.
/// </summary>
public sealed class PackageContentTests(LocalPackages packages)
{
    private const string RepositoryUrl = "https://github.com/sessioncore/sessioncore";

    // Every library package and the packages it depends on ("SessionCore" means the same version as the package).
    private static readonly Dictionary<string, string[]> s_dependencies = new(StringComparer.Ordinal)
    {
        ["SessionCore"] = ["Microsoft.Extensions.DependencyInjection.Abstractions", "NSec.Cryptography"],
        ["SessionCore.Stores.LiteDb"] = ["SessionCore", "LiteDB"],
        ["SessionCore.Stores.Mongo"] = ["SessionCore", "MongoDB.Driver"],
        ["SessionCore.Stores.Redis"] = ["SessionCore", "StackExchange.Redis"],
        ["SessionCore.Location.MaxMind"] = ["SessionCore", "MaxMind.Db"],
        ["SessionCore.AspNetCore"] = ["SessionCore"],
    };

    /// <summary>Gets the library packages (every package but the tool).</summary>
    public static TheoryData<string> Libraries => new(s_dependencies.Keys);

    /// <summary>Gets every package: the libraries and the tool.</summary>
    public static TheoryData<string> AllPackages => new([.. s_dependencies.Keys, "SessionCore.Tool"]);

    [Fact]
    public async Task Folder_EveryPackableProject_HasAPackageAndASymbolPackage()
    {
        PackageSet set = await packages.GetAsync();
        string src = Path.Combine(DotnetCli.RepositoryRoot(), "src");
        string[] declared = Directory.EnumerateFiles(src, "*.csproj", SearchOption.AllDirectories)
            .Select(p => XDocument.Load(p).Descendants("PackageId").Single().Value)
            .Order(StringComparer.Ordinal)
            .ToArray();

        Assert.Equal(declared, set.Ids.Order(StringComparer.Ordinal));
        Assert.Equal(declared.Where(id => id != "SessionCore.Tool"), s_dependencies.Keys.Order(StringComparer.Ordinal));
        Assert.All(declared, id => Assert.True(File.Exists(set.SymbolPackage(id)), $"no symbol package for {id}"));
        Assert.Matches(@"^\d+\.\d+\.\d+-[0-9A-Za-z.]+$", set.Version);
    }

    [Theory]
    [MemberData(nameof(Libraries))]
    public async Task Package_Library_CarriesReadmeLicenceAndRepository(string id)
    {
        PackageSet set = await packages.GetAsync();
        string package = set.Package(id);

        AssertMetadata(package, id, set.Version);
    }

    [Theory]
    [MemberData(nameof(Libraries))]
    public async Task Package_Library_HoldsOnlyItsAssemblyDocsAndReadme(string id)
    {
        PackageSet set = await packages.GetAsync();

        Assert.Equal(["README.md", $"lib/net10.0/{id}.dll", $"lib/net10.0/{id}.xml"], Content(set.Package(id)));
        string docs = ReadEntry(set.Package(id), $"lib/net10.0/{id}.xml");
        Assert.Contains($"<name>{id}</name>", docs, StringComparison.Ordinal);
        Assert.Contains("<member name=\"T:", docs, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Libraries))]
    public async Task SymbolPackage_Library_HoldsThePortablePdb(string id)
    {
        PackageSet set = await packages.GetAsync();

        Assert.Equal([$"lib/net10.0/{id}.pdb"], Content(set.SymbolPackage(id)));
        Assert.Equal("BSJB"u8.ToArray(), ReadEntryBytes(set.SymbolPackage(id), $"lib/net10.0/{id}.pdb").AsSpan(0, 4).ToArray());
    }

    [Theory]
    [MemberData(nameof(Libraries))]
    public async Task Package_Library_DependsOnExactlyTheDeclaredPackages(string id)
    {
        PackageSet set = await packages.GetAsync();
        Dictionary<string, string> central = CentralVersions();
        XElement metadata = PackageSet.Metadata(PackageSet.ReadNuspec(set.Package(id)));

        XElement group = Assert.Single(PackageSet.Children(PackageSet.Child(metadata, "dependencies")!, "group"));
        Assert.Equal("net10.0", group.Attribute("targetFramework")?.Value);
        var actual = PackageSet.Children(group, "dependency")
            .Select(d => (Id: d.Attribute("id")!.Value, Version: d.Attribute("version")!.Value, Exclude: d.Attribute("exclude")?.Value))
            .OrderBy(d => d.Id, StringComparer.Ordinal)
            .ToArray();
        var expected = s_dependencies[id]
            .Select(d => (Id: d, Version: d == "SessionCore" ? set.Version : central[d], Exclude: (string?)"Build,Analyzers"))
            .OrderBy(d => d.Id, StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(expected, actual);

        // Only the ASP.NET Core integration needs a shared framework beyond the base one.
        string[] frameworks = metadata.Descendants().Where(e => e.Name.LocalName == "frameworkReference").Select(e => e.Attribute("name")!.Value).ToArray();
        Assert.Equal(id == "SessionCore.AspNetCore" ? ["Microsoft.AspNetCore.App"] : [], frameworks);
    }

    [Fact]
    public async Task Package_Tool_IsTheSessioncoreCommandWithItsLibrariesOnly()
    {
        PackageSet set = await packages.GetAsync();
        string package = set.Package("SessionCore.Tool");
        XElement metadata = AssertMetadata(package, "SessionCore.Tool", set.Version);

        Assert.Equal("DotnetTool", PackageSet.Children(PackageSet.Child(metadata, "packageTypes")!, "packageType").Single().Attribute("name")?.Value);
        Assert.Null(PackageSet.Child(metadata, "dependencies"));
        XElement command = XDocument.Parse(ReadEntry(package, "tools/net10.0/any/DotnetToolSettings.xml")).Descendants("Command").Single();
        Assert.Equal("sessioncore", command.Attribute("Name")?.Value);
        Assert.Equal("SessionCore.Tool.dll", command.Attribute("EntryPoint")?.Value);

        // The tool and the libraries it runs on, their third-party dependencies and native libsodium; nothing else.
        string[] managed = Content(package)
            .Where(e => e.StartsWith("tools/net10.0/any/", StringComparison.Ordinal) && e.EndsWith(".dll", StringComparison.Ordinal) && !e.Contains("/runtimes/", StringComparison.Ordinal))
            .Select(e => Path.GetFileNameWithoutExtension(e))
            .Order(StringComparer.Ordinal)
            .ToArray();
        Assert.Equal(
            ["LiteDB", "MaxMind.Db", "Microsoft.Extensions.DependencyInjection.Abstractions", "NSec.Cryptography",
                "SessionCore", "SessionCore.Location.MaxMind", "SessionCore.Stores.LiteDb", "SessionCore.Tool"],
            managed);
        Assert.All(Content(package), entry => Assert.Matches(@"^(README\.md|tools/net10\.0/any/(runtimes/[a-z0-9-]+/native/libsodium\.(so|a|dylib|dll)|[A-Za-z.]+\.(dll|pdb|xml|json)))$", entry));
        Assert.Contains("tools/net10.0/any/SessionCore.Tool.pdb", Content(set.SymbolPackage("SessionCore.Tool")));
    }

    [Theory]
    [MemberData(nameof(AllPackages))]
    public async Task Package_Any_HoldsNoTestOrSampleAssets(string id)
    {
        PackageSet set = await packages.GetAsync();

        foreach (string package in new[] { set.Package(id), set.SymbolPackage(id) })
        {
            Assert.All(Content(package), entry => Assert.DoesNotMatch(@"(?i)(tests?/|samples?/|\.Tests\.|xunit|fscheck|benchmark|fuzz|vectors?/|\.db$|\.mmdb$)", entry));
        }
    }

    // Checks the metadata every package shares and returns the manifest's metadata element.
    private static XElement AssertMetadata(string package, string id, string version)
    {
        XElement metadata = PackageSet.Metadata(PackageSet.ReadNuspec(package));
        Assert.Equal(id, PackageSet.Child(metadata, "id")?.Value);
        Assert.Equal(version, PackageSet.Child(metadata, "version")?.Value);
        Assert.Equal("SessionCore contributors", PackageSet.Child(metadata, "authors")?.Value);

        XElement license = PackageSet.Child(metadata, "license")!;
        Assert.Equal(("expression", "MIT"), (license.Attribute("type")?.Value, license.Value));

        // The repository's README, its links made absolute: a package page resolves no path inside the repository.
        Assert.Equal("README.md", PackageSet.Child(metadata, "readme")?.Value);
        string readme = ReadEntry(package, "README.md");
        Assert.All(Regex.Matches(readme, @"\]\(([^)]*)\)"), link => Assert.Matches("^(https://|#)", link.Groups[1].Value));
        Assert.Contains($"]({RepositoryUrl}/blob/main/docs/", readme, StringComparison.Ordinal);
        Assert.Equal(
            File.ReadAllText(Path.Combine(DotnetCli.RepositoryRoot(), "README.md"), Encoding.UTF8),
            readme.Replace($"]({RepositoryUrl}/blob/main/", "](", StringComparison.Ordinal));

        XElement repository = PackageSet.Child(metadata, "repository")!;
        Assert.Equal("git", repository.Attribute("type")?.Value);
        Assert.Equal(RepositoryUrl, repository.Attribute("url")?.Value);
        Assert.Matches("^[0-9a-f]{40}$", repository.Attribute("commit")?.Value ?? string.Empty);
        Assert.Equal(RepositoryUrl, PackageSet.Child(metadata, "projectUrl")?.Value);

        Assert.False(string.IsNullOrWhiteSpace(PackageSet.Child(metadata, "description")?.Value));
        Assert.Contains("session", (PackageSet.Child(metadata, "tags")?.Value ?? string.Empty).Split(' '));
        return metadata;
    }

    // The package's files, without the packaging parts every package has (manifest, relationships, content types).
    private static string[] Content(string package)
    {
        using ZipArchive zip = ZipFile.OpenRead(package);
        return zip.Entries
            .Select(e => e.FullName)
            .Where(e => !e.StartsWith("_rels/", StringComparison.Ordinal)
                && !e.StartsWith("package/services/", StringComparison.Ordinal)
                && e != "[Content_Types].xml"
                && !(e.EndsWith(".nuspec", StringComparison.Ordinal) && !e.Contains('/', StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal)
            .ToArray();
    }

    private static byte[] ReadEntryBytes(string package, string entry)
    {
        using ZipArchive zip = ZipFile.OpenRead(package);
        using Stream stream = (zip.GetEntry(entry) ?? throw new InvalidOperationException($"{entry} not in {Path.GetFileName(package)}")).Open();
        using MemoryStream copy = new();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string ReadEntry(string package, string entry)
    {
        using StreamReader reader = new(new MemoryStream(ReadEntryBytes(package, entry)), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    private static Dictionary<string, string> CentralVersions() =>
        XDocument.Load(Path.Combine(DotnetCli.RepositoryRoot(), "Directory.Packages.props"))
            .Descendants("PackageVersion")
            .ToDictionary(e => e.Attribute("Include")!.Value, e => e.Attribute("Version")!.Value, StringComparer.Ordinal);
}
