using System;
using System.Collections.Generic;
using System.Numerics;
using System.Threading.Tasks;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Microsoft.Extensions.Time.Testing;
using SessionCore.Internal;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.Tests.Tokens;

/// <summary>
/// Statistical checks that minted tokens look like independent uniform 256-bit values. Every bound is
/// set at six standard deviations or more, so a healthy CSPRNG fails one of these far less often than
/// once in a hundred million runs, while a counter, a clock or a stuck byte fails at once.
/// </summary>
public sealed class TokenRandomnessTests
{
    private const int SampleTokens = 100_000;
    private const double Sigmas = 6.0;

    private static readonly Lazy<byte[][]> s_sample = new(() => Sample(SampleTokens));

    [Fact]
    public void Mint_OneMillionTokens_NoCollision()
    {
        HashSet<string> seen = new(1_000_000, StringComparer.Ordinal);
        for (int i = 0; i < 1_000_000; i++)
        {
            Assert.True(seen.Add(SessionToken.Mint(TokenSource.System).Reveal()));
        }
    }

    [Fact]
    public void Mint_Sample_EveryTokenDecodesToExactly32Bytes()
    {
        Assert.All(s_sample.Value, bytes => Assert.Equal(TokenSource.SecretLength, bytes.Length));
    }

    [Fact]
    public void Mint_Sample_PassesMonobitFrequency()
    {
        long ones = 0;
        foreach (byte[] token in s_sample.Value)
        {
            foreach (byte b in token)
            {
                ones += BitOperations.PopCount(b);
            }
        }

        double n = SampleTokens * 256.0;
        double z = (ones - (n / 2)) / Math.Sqrt(n / 4);
        Assert.InRange(z, -Sigmas, Sigmas);
    }

    [Fact]
    public void Mint_Sample_PerBitPositionFrequencyWithinBinomialBound()
    {
        long[] ones = new long[256];
        foreach (byte[] token in s_sample.Value)
        {
            for (int bit = 0; bit < 256; bit++)
            {
                ones[bit] += (token[bit >> 3] >> (bit & 7)) & 1;
            }
        }

        // 256 positions tested: 6.5 sigma keeps the family-wise false alarm rate negligible.
        double bound = 6.5 * Math.Sqrt(SampleTokens / 4.0);
        Assert.All(ones, count => Assert.InRange(count, (SampleTokens / 2.0) - bound, (SampleTokens / 2.0) + bound));
    }

    [Fact]
    public void Mint_Sample_PassesRunsTest()
    {
        // NIST SP 800-22 §2.3 runs test over the concatenated bit stream of 20 000 tokens.
        const int tokens = 20_000;
        long n = tokens * 256L;
        long ones = 0;
        long runs = 1;
        int previous = -1;
        for (int t = 0; t < tokens; t++)
        {
            foreach (byte b in s_sample.Value[t])
            {
                for (int i = 0; i < 8; i++)
                {
                    int bit = (b >> i) & 1;
                    ones += bit;
                    if (previous >= 0 && bit != previous)
                    {
                        runs++;
                    }

                    previous = bit;
                }
            }
        }

        double pi = (double)ones / n;
        double expected = 2.0 * n * pi * (1 - pi);
        double z = (runs - expected) / (2.0 * Math.Sqrt(2.0 * n) * pi * (1 - pi));
        Assert.InRange(z, -Sigmas, Sigmas);
    }

    [Fact]
    public void Mint_Sample_ByteChiSquareWithinBounds()
    {
        long[] counts = new long[256];
        foreach (byte[] token in s_sample.Value)
        {
            foreach (byte b in token)
            {
                counts[b]++;
            }
        }

        AssertChiSquareUniform(counts, SampleTokens * 32.0);
    }

    [Fact]
    public void Mint_Sample_EveryBytePositionIsUniform()
    {
        for (int position = 0; position < 32; position++)
        {
            long[] counts = new long[256];
            foreach (byte[] token in s_sample.Value)
            {
                counts[token[position]]++;
            }

            AssertChiSquareUniform(counts, SampleTokens);
        }
    }

    [Fact]
    public void Mint_InSequence_ConsecutiveTokensAreUncorrelated()
    {
        // A counter or a clock shows up as low-entropy differences between neighbours.
        long ones = 0;
        byte[][] sample = s_sample.Value;
        for (int i = 1; i < sample.Length; i++)
        {
            for (int j = 0; j < 32; j++)
            {
                ones += BitOperations.PopCount((uint)(sample[i][j] ^ sample[i - 1][j]));
            }
        }

        double n = (sample.Length - 1) * 256.0;
        double z = (ones - (n / 2)) / Math.Sqrt(n / 4);
        Assert.InRange(z, -Sigmas, Sigmas);
    }

    [Fact]
    public void Mint_InSequence_ShareNoPrefixBeyondTheTypePrefix()
    {
        // P(6 equal leading characters) = 64^-6 per pair; over 10^5 pairs that is about 10^-6.
        string previous = SessionToken.Mint(TokenSource.System).Reveal();
        for (int i = 0; i < SampleTokens; i++)
        {
            string next = SessionToken.Mint(TokenSource.System).Reveal();
            int common = previous.AsSpan(SessionToken.Prefix.Length).CommonPrefixLength(next.AsSpan(SessionToken.Prefix.Length));
            Assert.True(common < 6, $"consecutive tokens share {common} leading characters");
            previous = next;
        }
    }

    [Fact]
    public async Task SignIn_SameInstant_TokensStillDiffer()
    {
        FakeTimeProvider frozen = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        SessionManager manager = new SessionManagerBuilder { Store = new InMemorySessionStore(), TimeProvider = frozen }.Build();
        HashSet<string> tokens = new(StringComparer.Ordinal);

        for (int i = 0; i < 1000; i++)
        {
            SignInResult result = (await manager.SignInAsync(new SignInRequest("alice"), TestContext.Current.CancellationToken));
            Assert.True(tokens.Add(result.Value.Reveal()));
        }
    }

    [Fact]
    public async Task Mint_DoesNotDependOnTime_OnlyOnTheEntropySource()
    {
        // With the entropy seam pinned, tokens minted hours apart are identical: the clock is no input.
        FakeTimeProvider time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        List<string> tokens = [];
        for (int i = 0; i < 3; i++)
        {
            SessionManagerBuilder builder = new() { Store = new InMemorySessionStore(), TimeProvider = time, RandomFill = span => span.Fill(0x5A) };
            SessionManager manager = builder.Build();
            tokens.Add((await manager.SignInAsync(new SignInRequest("alice"), TestContext.Current.CancellationToken)).Value.Reveal());
            time.Advance(TimeSpan.FromHours(5));
        }

        Assert.Single(new HashSet<string>(tokens, StringComparer.Ordinal));
    }

    [Property(MaxTest = 200)]
    public Property Mint_ArbitraryEntropy_EncodesExactlyThoseBytes() =>
        Prop.ForAll(Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>(), 32).ToArbitrary(), entropy =>
        {
            TokenSource source = new(span => entropy.CopyTo(span));
            string token = SessionToken.Mint(source).Reveal();
            byte[]? decoded = Base64UrlStrict.TryDecode(token.AsSpan(SessionToken.Prefix.Length));
            return SessionToken.TryParse(token, out _) && decoded is not null && decoded.AsSpan().SequenceEqual(entropy);
        });

    [Property(MaxTest = 200)]
    public bool Mint_AnyBatch_EveryTokenIsWellFormedAndDecodesTo32Bytes(byte count)
    {
        for (int i = 0; i <= count % 64; i++)
        {
            string token = SessionToken.Mint(TokenSource.System).Reveal();
            if (token.Length != SessionToken.Length || Base64UrlStrict.TryDecode(token.AsSpan(SessionToken.Prefix.Length))?.Length != 32)
            {
                return false;
            }
        }

        return true;
    }

    private static void AssertChiSquareUniform(long[] counts, double total)
    {
        double expected = total / counts.Length;
        double chi = 0;
        foreach (long count in counts)
        {
            chi += (count - expected) * (count - expected) / expected;
        }

        // Chi-square with k-1 degrees of freedom: mean k-1, standard deviation sqrt(2(k-1)).
        double df = counts.Length - 1;
        double sd = Math.Sqrt(2 * df);
        Assert.InRange(chi, df - (Sigmas * sd), df + (Sigmas * sd));
    }

    private static byte[][] Sample(int count)
    {
        byte[][] sample = new byte[count][];
        for (int i = 0; i < count; i++)
        {
            string token = SessionToken.Mint(TokenSource.System).Reveal();
            sample[i] = Base64UrlStrict.TryDecode(token.AsSpan(SessionToken.Prefix.Length)) ?? [];
        }

        return sample;
    }
}
