using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using SessionCore.Jwt;
using SessionCore.Keys;
using Xunit;

namespace SessionCore.Tests.Keys;

/// <summary>Every supported algorithm, so contract tests run against each of them, and quick keys for them.</summary>
public static class Registry
{
    // Generating an RSA key takes a fraction of a second (2048 bits) to seconds (4096); the contract tests
    // need dozens. Each algorithm gets a few 2048-bit keys, made once per test run and handed out as fresh
    // imports, so a test that disposes its key never harms another. The default size (3072) has its own tests.
    private static readonly ConcurrentDictionary<(string, int), string> s_rsaPrivateJwks = new();

    public static TheoryData<string> Algorithms => new(
        SigningAlgorithm.Es256.Name, SigningAlgorithm.EdDsa.Name, SigningAlgorithm.Rs256.Name, SigningAlgorithm.Ps256.Name);

    public static TheoryData<string> RsaAlgorithms => new(SigningAlgorithm.Rs256.Name, SigningAlgorithm.Ps256.Name);

    public static IEnumerable<SigningAlgorithm> All => [SigningAlgorithm.Es256, SigningAlgorithm.EdDsa, SigningAlgorithm.Rs256, SigningAlgorithm.Ps256];

    public static SigningAlgorithm Get(string name) => name switch
    {
        "ES256" => SigningAlgorithm.Es256,
        "EdDSA" => SigningAlgorithm.EdDsa,
        "RS256" => SigningAlgorithm.Rs256,
        "PS256" => SigningAlgorithm.Ps256,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    public static bool IsRsa(SigningAlgorithm algorithm) => algorithm == SigningAlgorithm.Rs256 || algorithm == SigningAlgorithm.Ps256;

    /// <summary>A new key object; for RSA, the <paramref name="index"/>th 2048-bit key of that algorithm (distinct indexes, distinct keys).</summary>
    public static SigningKey NewKey(string algorithm, SigningKeyExportPolicies exportPolicy = SigningKeyExportPolicies.None, int index = 0) =>
        NewKey(Get(algorithm), exportPolicy, index);

    /// <inheritdoc cref="NewKey(string, SigningKeyExportPolicies, int)"/>
    public static SigningKey NewKey(SigningAlgorithm algorithm, SigningKeyExportPolicies exportPolicy = SigningKeyExportPolicies.None, int index = 0)
    {
        if (!IsRsa(algorithm))
        {
            return SigningKey.Generate(algorithm, exportPolicy);
        }

        string jwk = s_rsaPrivateJwks.GetOrAdd((algorithm.Name, index), static k =>
        {
            using SigningKey generated = SigningKey.Generate(Get(k.Item1), SigningKeyExportPolicies.AllowPrivateExport, SigningKey.MinRsaKeySize);
            return generated.ExportPrivateJwk();
        });
        return SigningKey.ImportJwk(jwk, exportPolicy);
    }
}
