using System;
using System.Linq;
using System.Reflection;
using SessionCore.Dpop;
using SessionCore.Stores;
using Xunit;

namespace SessionCore.Tests.Dpop;

public sealed class DpopConsistencyTests
{
    [Fact]
    public void PublicTypes_InDpopNamespace_AreSealedStaticOrEnums()
    {
        Type[] types = [.. typeof(DpopProofValidator).Assembly.GetExportedTypes().Where(t => t.Namespace == "SessionCore.Dpop")];

        Assert.NotEmpty(types);
        Assert.All(types, t => Assert.True(t.IsSealed || t.IsEnum || (t.IsAbstract && t.IsSealed), t.Name));
    }

    [Fact]
    public void TypesThatMayHoldAProofOrToken_OverrideToString()
    {
        Assert.Equal(typeof(DpopProofRequest), typeof(DpopProofRequest).GetMethod(nameof(ToString), Type.EmptyTypes)!.DeclaringType);
        Assert.Equal(typeof(DpopProof), typeof(DpopProof).GetMethod(nameof(ToString), Type.EmptyTypes)!.DeclaringType);
        Assert.Equal(typeof(DpopProofValidationResult), typeof(DpopProofValidationResult).GetMethod(nameof(ToString), Type.EmptyTypes)!.DeclaringType);
        Assert.Equal("DpopProofRequest", new DpopProofRequest { Proof = "secret.proof.value", Method = "GET", TargetUri = "https://a/", AccessToken = "token" }.ToString());
    }

    [Fact]
    public void PublicMembers_NeverReturnByteArrays_ExceptTheSingleUseKeyCopy()
    {
        string[] offenders = [.. typeof(DpopProofValidator).Assembly.GetExportedTypes()
            .Where(t => t.Namespace == "SessionCore.Dpop" || t == typeof(SingleUseKey))
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            .Where(m => m.ReturnType == typeof(byte[]) && !(m.DeclaringType == typeof(SingleUseKey) && m.Name == nameof(SingleUseKey.ToArray)))
            .Select(m => m.DeclaringType!.Name + "." + m.Name)];

        Assert.Empty(offenders);
    }

    [Fact]
    public void StatusValues_AreStableAndDense()
    {
        DpopProofStatus[] values = Enum.GetValues<DpopProofStatus>();

        Assert.Equal(Enumerable.Range(0, values.Length), values.Select(v => (int)v));
        Assert.Equal(DpopProofStatus.Valid, default);
    }
}
