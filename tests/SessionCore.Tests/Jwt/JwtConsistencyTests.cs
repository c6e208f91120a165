using System;
using System.Linq;
using SessionCore.Jwt;
using SessionCore.Keys;
using Xunit;

namespace SessionCore.Tests.Jwt;

public sealed class JwtConsistencyTests
{
    [Fact]
    public void PublicTypes_InJwtNamespace_AreSealedAbstractStaticOrEnums()
    {
        Type[] types = [.. typeof(SigningKey).Assembly.GetExportedTypes().Where(t => t.Namespace == "SessionCore.Jwt")];

        Assert.NotEmpty(types);
        foreach (Type type in types)
        {
            Assert.True(type.IsSealed || type.IsAbstract || type.IsEnum || type.IsValueType, type.Name);
        }

        // The only abstract type has no public or protected constructor: the algorithm set is closed.
        Assert.Empty(typeof(SigningAlgorithm).GetConstructors(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance));
        Assert.All(
            typeof(SigningAlgorithm).GetConstructors(System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance),
            c => Assert.True(c.IsFamilyAndAssembly, "private protected"));
    }

    [Fact]
    public void SecretBearingTypes_OverrideToString()
    {
        Assert.Equal(typeof(SigningKey), typeof(SigningKey).GetMethod(nameof(ToString), Type.EmptyTypes)!.DeclaringType);
        Assert.Equal(typeof(AccessTokenClaims), typeof(AccessTokenClaims).GetMethod(nameof(ToString), Type.EmptyTypes)!.DeclaringType);
    }

    [Fact]
    public void PublicMembers_NeverReturnMutableByteArraysExceptSign()
    {
        var offenders = typeof(SigningKey).Assembly.GetExportedTypes()
            .Where(t => t.Namespace == "SessionCore.Jwt")
            .SelectMany(t => t.GetMethods().Cast<System.Reflection.MethodInfo>().Concat(t.GetProperties().Select(p => p.GetMethod!)))
            .Where(m => m is not null && m.ReturnType == typeof(byte[]) && m.Name != nameof(SigningAlgorithm.Sign))
            .Select(m => m.DeclaringType!.Name + "." + m.Name)
            .ToList();

        Assert.Empty(offenders);
    }
}
