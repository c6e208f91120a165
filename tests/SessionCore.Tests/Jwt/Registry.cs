using System;
using SessionCore.Jwt;
using Xunit;

namespace SessionCore.Tests.Jwt;

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
