using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Xml.Linq;

namespace SessionCore.Samples.Tests;

/// <summary>
/// A folder of packed packages: one <c>.nupkg</c> and one <c>.snupkg</c> per package id, all of one version.
/// </summary>
public sealed class PackageSet
{
    private readonly Dictionary<string, string> _packages;

    private PackageSet(string folder, string version, Dictionary<string, string> packages)
    {
        Folder = folder;
        Version = version;
        _packages = packages;
    }

    /// <summary>Gets the folder's full path.</summary>
    public string Folder { get; }

    /// <summary>Gets the version every package in the folder carries.</summary>
    public string Version { get; }

    /// <summary>Gets the package ids in the folder.</summary>
    public IReadOnlyCollection<string> Ids => _packages.Keys;

    /// <summary>Reads the ids and versions of the packages in <paramref name="folder"/>.</summary>
    /// <exception cref="InvalidOperationException">The folder holds no package, or packages of more than one version.</exception>
    public static PackageSet Open(string folder)
    {
        Dictionary<string, string> packages = new(StringComparer.OrdinalIgnoreCase);
        HashSet<string> versions = new(StringComparer.OrdinalIgnoreCase);
        foreach (string file in Directory.EnumerateFiles(folder, "*.nupkg"))
        {
            XElement metadata = Metadata(ReadNuspec(file));
            string id = Child(metadata, "id")!.Value;
            versions.Add(Child(metadata, "version")!.Value);
            packages.Add(id, file);
        }

        return versions.Count switch
        {
            0 => throw new InvalidOperationException($"no .nupkg in {folder}"),
            1 => new PackageSet(Path.GetFullPath(folder), versions.Single(), packages),
            _ => throw new InvalidOperationException(
                $"{folder} holds packages of several versions ({string.Join(", ", versions)}); pack into an empty folder"),
        };
    }

    /// <summary>Gets the path of the package <paramref name="id"/>.</summary>
    public string Package(string id) =>
        _packages.TryGetValue(id, out string? path) ? path : throw new InvalidOperationException($"no {id} package in {Folder}");

    /// <summary>Gets the path of the symbol package of <paramref name="id"/> (which may not exist).</summary>
    public string SymbolPackage(string id) => Path.Combine(Folder, $"{id}.{Version}.snupkg");

    /// <summary>Reads the <c>.nuspec</c> manifest inside a package.</summary>
    public static XDocument ReadNuspec(string package)
    {
        using ZipArchive zip = ZipFile.OpenRead(package);
        ZipArchiveEntry nuspec = zip.Entries.Single(e => !e.FullName.Contains('/', StringComparison.Ordinal) && e.FullName.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase));
        using Stream stream = nuspec.Open();
        return XDocument.Load(stream);
    }

    /// <summary>Gets the manifest's <c>metadata</c> element.</summary>
    public static XElement Metadata(XDocument nuspec) => Child(nuspec.Root!, "metadata")!;

    /// <summary>Gets the first child element named <paramref name="name"/>, whatever the nuspec schema namespace.</summary>
    public static XElement? Child(XElement parent, string name) => parent.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    /// <summary>Gets the child elements named <paramref name="name"/>, whatever the nuspec schema namespace.</summary>
    public static IEnumerable<XElement> Children(XElement parent, string name) => parent.Elements().Where(e => e.Name.LocalName == name);
}
