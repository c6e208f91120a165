using System;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

[assembly: AssemblyFixture(typeof(SessionCore.Samples.Tests.LocalPackages))]

namespace SessionCore.Samples.Tests;

/// <summary>
/// The packages under test. CI packs every package once before the tests and names the folder in
/// <c>SESSIONCORE_PACKAGES</c>; without it (a developer running <c>dotnet test</c>) the first test that asks packs
/// them here, from the working tree, into a temporary folder. Either way each pack carries a version of its own, so the
/// NuGet global packages folder, which keeps an id and version forever, never serves an older build of it.
/// </summary>
public sealed class LocalPackages : IAsyncDisposable
{
    /// <summary>The environment variable naming a folder that already holds the packed packages.</summary>
    public const string FolderVariable = "SESSIONCORE_PACKAGES";

    private readonly Lazy<Task<PackageSet>> _packages;
    private string? _packedHere;
    private string? _globalPackagesFolder;

    /// <summary>Initializes a new instance of the <see cref="LocalPackages"/> class; nothing is packed until asked.</summary>
    public LocalPackages() => _packages = new(PrepareAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Gets the packages, packing them first when no folder was given.</summary>
    public Task<PackageSet> GetAsync() => _packages.Value;

    /// <summary>
    /// Notes that a consumer restored the packages into <paramref name="globalPackagesFolder"/>, so their extracted copies
    /// are removed at the end: each pack has a version of its own, and nothing will ask for this one again.
    /// </summary>
    public void RestoredInto(string globalPackagesFolder) => _globalPackagesFolder = globalPackagesFolder;

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_globalPackagesFolder is not null && _packages.IsValueCreated && _packages.Value.IsCompletedSuccessfully)
        {
            PackageSet set = await _packages.Value;
            // A prerelease of one pack only; a stable version could be a developer's own and stays.
            if (set.Version.Contains('-', StringComparison.Ordinal))
            {
                foreach (string id in set.Ids)
                {
                    string extracted = Path.Combine(_globalPackagesFolder, id.ToLowerInvariant(), set.Version.ToLowerInvariant());
                    if (Directory.Exists(extracted))
                    {
                        Directory.Delete(extracted, recursive: true);
                    }
                }
            }
        }

        if (_packedHere is not null && Directory.Exists(_packedHere))
        {
            Directory.Delete(_packedHere, recursive: true);
        }
    }

    private async Task<PackageSet> PrepareAsync()
    {
        string? given = Environment.GetEnvironmentVariable(FolderVariable);
        if (!string.IsNullOrWhiteSpace(given))
        {
            return PackageSet.Open(given);
        }

        _packedHere = Path.Combine(Path.GetTempPath(), "sessioncore-packages", Path.GetRandomFileName());
        string output = Path.Combine(_packedHere, "packages");
        string suffix = string.Create(
            CultureInfo.InvariantCulture, $"local.{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.{Environment.ProcessId}");
        string root = DotnetCli.RepositoryRoot();

        // The same command as .ci/run. --artifacts-path keeps its restore and build outputs out of src/*/obj and bin,
        // which the test builds and other tests (the native AOT publish) use at the same time.
        (int code, string log) = await DotnetCli.RunAsync(
            root,
            ["pack", Path.Combine(root, "eng", "packages.slnf"), "-c", "Release", "--artifacts-path", Path.Combine(_packedHere, "build"),
                "-o", output, $"-p:VersionSuffix={suffix}", "-nologo", "-v", "q", "-warnaserror"],
            TimeSpan.FromMinutes(15),
            CancellationToken.None);
        return code == 0 ? PackageSet.Open(output) : throw new InvalidOperationException($"dotnet pack failed ({code})\n{log}");
    }
}
