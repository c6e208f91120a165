using System;
using System.IO;
using System.Linq;
using Xunit;

namespace SessionCore.Fuzz.Tests;

/// <summary>Replays every file of every harness's corpus through that harness: the fuzzing contract, checked on each build.</summary>
public sealed class CorpusReplayTests
{
    private static readonly string s_corpus = Path.Combine(AppContext.BaseDirectory, "corpus");

    public static TheoryData<string, string> CorpusFiles
    {
        get
        {
            TheoryData<string, string> data = [];
            foreach (FuzzTarget target in FuzzTargets.All)
            {
                string dir = Path.Combine(s_corpus, target.Name);
                if (!Directory.Exists(dir))
                {
                    continue;
                }

                foreach (string file in Directory.EnumerateFiles(dir).Order(StringComparer.Ordinal))
                {
                    data.Add(target.Name, Path.GetFileName(file));
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void Run_CorpusFile_KeepsTheContract(string target, string file)
    {
        FuzzTarget harness = FuzzTargets.Find(target) ?? throw new InvalidOperationException(target);

        harness.Run(File.ReadAllBytes(Path.Combine(s_corpus, target, file)));
    }

    [Fact]
    public void Corpus_EveryTarget_HasSeeds()
    {
        string[] empty = [.. FuzzTargets.All.Select(t => t.Name).Where(name => !Directory.Exists(Path.Combine(s_corpus, name)) || !Directory.EnumerateFiles(Path.Combine(s_corpus, name)).Any())];

        Assert.Empty(empty);
    }

    [Fact]
    public void Corpus_EveryFolder_IsATarget()
    {
        string[] orphans = [.. Directory.EnumerateDirectories(s_corpus).Select(Path.GetFileName).Where(name => FuzzTargets.Find(name!) is null)!];

        Assert.Empty(orphans);
    }
}
