using System;
using SessionCore.Jwt;
using SessionCore.Keys;
using Xunit;

namespace SessionCore.Tests.Keys;

/// <summary>Every supported algorithm, so contract tests run against each of them.</summary>
public static class Registry
{
    public static TheoryData<string> Algorithms => new(SigningAlgorithm.Es256.Name, SigningAlgorithm.EdDsa.Name);

    public static SigningAlgorithm Get(string name) => name switch
    {
        "ES256" => SigningAlgorithm.Es256,
        "EdDSA" => SigningAlgorithm.EdDsa,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };
}
