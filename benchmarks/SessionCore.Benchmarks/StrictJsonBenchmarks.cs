using System.Globalization;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using SessionCore.Internal;

namespace SessionCore.Benchmarks;

/// <summary>
/// The strict pre-check every JOSE header, claims set and JWK passes (duplicate members at any depth) on a hostile
/// document of distinct names, against a plain <see cref="Utf8JsonReader"/> pass over the same bytes. A check that is
/// linear in the input keeps the same ratio at every size; a quadratic one grows with it.
/// </summary>
[MemoryDiagnoser]
public class StrictJsonBenchmarks
{
    private byte[] _json = [];

    /// <summary>Gets or sets the document size in bytes (names "0", "1", ... until the size is reached).</summary>
    [Params(4 * 1024, 64 * 1024)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        StringBuilder text = new("{");
        for (int i = 0; text.Length < Size - 16; i++)
        {
            text.Append(i == 0 ? string.Empty : ",").Append('"').Append(i.ToString("x", CultureInfo.InvariantCulture)).Append("\":0");
        }

        _json = Encoding.UTF8.GetBytes(text.Append('}').ToString());
    }

    [Benchmark(Baseline = true)]
    public int RawReaderPass()
    {
        Utf8JsonReader reader = new(_json);
        int tokens = 0;
        while (reader.Read())
        {
            tokens++;
        }

        return tokens;
    }

    [Benchmark]
    public bool StrictUniqueMembers() => StrictJson.IsObjectWithUniqueMembers(_json);
}
