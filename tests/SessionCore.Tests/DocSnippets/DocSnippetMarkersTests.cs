using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace SessionCore.Tests.DocSnippets;

// The C# twin of eng/check-doc-snippets.sh: every fenced C# block in docs/ that follows a
// "<!-- snippet: Name -->" marker must equal the region "#region snippet_Name" of
// tests/SessionCore.DocSnippets line for line (leading indentation and trailing white space ignored).
public sealed partial class DocSnippetMarkersTests
{
    // The pages that show compiled code; losing their markers would let the check pass vacuously.
    private static readonly string[] s_pagesWithSnippets =
    [
        "getting-started.md", "diagnostics.md", "concepts/jwt.md", "concepts/rotation.md",
        "concepts/policies.md", "concepts/stores.md", "concepts/dpop.md", "concepts/dbsc.md", "../README.md",
    ];

    [Fact]
    public void Docs_MarkedCodeBlocks_MatchTheirSnippetRegions()
    {
        string root = FindRepositoryRoot();
        Dictionary<string, string[]> regions = ReadRegions(Path.Combine(root, "tests", "SessionCore.DocSnippets"));
        List<string> problems = [];
        HashSet<string> pagesWithMarkers = [];

        foreach (string md in Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Append(Path.Combine(root, "README.md")))
        {
            string page = Path.GetRelativePath(Path.Combine(root, "docs"), md).Replace('\\', '/');
            string[] lines = File.ReadAllLines(md);
            for (int i = 0; i < lines.Length; i++)
            {
                Match marker = MarkerPattern().Match(lines[i]);
                if (!marker.Success)
                {
                    continue;
                }

                string name = marker.Groups[1].Value;
                pagesWithMarkers.Add(page);
                int j = i + 1;
                while (j < lines.Length && lines[j].Trim().Length == 0)
                {
                    j++;
                }

                if (j >= lines.Length || lines[j].Trim() is not ("```csharp" or "```cs" or "```c#"))
                {
                    problems.Add($"{page}:{i + 1}: snippet {name} is not followed by a C# code block");
                    continue;
                }

                List<string> block = [];
                for (j++; j < lines.Length && lines[j].Trim() != "```"; j++)
                {
                    block.Add(lines[j].Trim());
                }

                i = j;
                if (!regions.TryGetValue(name, out string[]? expected))
                {
                    problems.Add($"{page}: snippet {name} has no region snippet_{name}");
                }
                else if (!block.SequenceEqual(expected, StringComparer.Ordinal))
                {
                    int k = Enumerable.Range(0, Math.Max(block.Count, expected.Length))
                        .First(n => n >= block.Count || n >= expected.Length || block[n] != expected[n]);
                    problems.Add($"{page}: snippet {name} differs at line {k + 1}: docs \"{(k < block.Count ? block[k] : "<end>")}\", snippet \"{(k < expected.Length ? expected[k] : "<end>")}\" (run eng/check-doc-snippets.sh --update)");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        string[] unmarked = [.. s_pagesWithSnippets.Except(pagesWithMarkers)];
        Assert.True(unmarked.Length == 0, "pages that lost their snippet markers: " + string.Join(", ", unmarked));
    }

    private static Dictionary<string, string[]> ReadRegions(string folder)
    {
        Dictionary<string, string[]> regions = new(StringComparer.Ordinal);
        foreach (string cs in Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories))
        {
            if (cs.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                || cs.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            {
                continue;
            }

            string? name = null;
            List<string> body = [];
            foreach (string line in File.ReadLines(cs))
            {
                string trimmed = line.Trim();
                if (trimmed.StartsWith("#region snippet_", StringComparison.Ordinal))
                {
                    name = trimmed["#region snippet_".Length..];
                    body = [];
                }
                else if (name is not null && trimmed == "#endregion")
                {
                    Assert.True(regions.TryAdd(name, [.. body]), $"region snippet_{name} is defined twice");
                    name = null;
                }
                else if (name is not null)
                {
                    body.Add(trimmed);
                }
            }
        }

        return regions;
    }

    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SessionCore.sln")) && Directory.Exists(Path.Combine(dir.FullName, "docs")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The test runs from a build inside the repository; SessionCore.sln was not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^\s*<!--\s*snippet:\s*(\w+)\s*-->\s*$")]
    private static partial Regex MarkerPattern();
}
