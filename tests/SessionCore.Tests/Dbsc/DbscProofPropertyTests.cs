using System;
using System.Linq;
using FsCheck;
using FsCheck.Xunit;
using SessionCore.Dbsc;
using SessionCore.Internal;
using SessionCore.Tests.TestSupport;
using static SessionCore.Tests.Dpop.DpopKit;

namespace SessionCore.Tests.Dbsc;

/// <summary>Invariants of DBSC proof validation over generated inputs.</summary>
public sealed class DbscProofPropertyTests : IDisposable
{
    private readonly DbscProofKit _kit = new();

    public void Dispose() => _kit.Dispose();

    [Property(MaxTest = 300)]
    public bool AnySingleBitFlipInAnySegment_IsRefused_Holds(bool refresh, PositiveInt position, byte bit)
    {
        DbscProofKit.Spec spec = refresh ? _kit.Refresh() : _kit.Registration();
        byte[][] segments = [.. spec.Build().Split('.').Select(s => Base64UrlStrict.TryDecode(s)!)];
        int index = position.Get % segments.Sum(s => s.Length);
        int segment = 0;
        while (index >= segments[segment].Length)
        {
            index -= segments[segment].Length;
            segment++;
        }

        segments[segment][index] ^= (byte)(1 << (bit % 8));
        string mutated = string.Join('.', segments.Select(s => B64(s)));

        return !Synchronous.Run(spec.ValidateAsync(mutated)).IsSuccess;
    }

    [Property(MaxTest = 200)]
    public bool AnySingleCharacterChangeOfTheText_IsRefused_Holds(bool refresh, PositiveInt position, char replacement)
    {
        DbscProofKit.Spec spec = refresh ? _kit.Refresh() : _kit.Registration();
        string proof = spec.Build();
        int index = position.Get % proof.Length;
        if (proof[index] == replacement)
        {
            return true;
        }

        string mutated = proof[..index] + replacement + proof[(index + 1)..];
        return !Synchronous.Run(spec.ValidateAsync(mutated)).IsSuccess;
    }

    [Property(MaxTest = 100)]
    public bool RemovingTheChallengeOrAnyRequiredHeaderMember_IsRefused_Holds(bool refresh, PositiveInt which)
    {
        DbscProofKit.Spec spec = refresh ? _kit.Refresh() : _kit.Registration();
        string[] required = [.. spec.Header.Select(m => "header:" + m.Key), "payload:jti"];
        string removed = required[which.Get % required.Length];
        if (removed.StartsWith("header:", StringComparison.Ordinal))
        {
            spec.Header.Remove(removed["header:".Length..]);
        }
        else
        {
            spec.Payload.Remove("jti");
        }

        return !Synchronous.Run(spec.ValidateAsync()).IsSuccess;
    }

    [Property(MaxTest = 100)]
    public bool AProofIsAcceptedAtMostOnce_Holds(bool refresh, PositiveInt attempts)
    {
        DbscProofKit.Spec spec = refresh ? _kit.Refresh() : _kit.Registration();
        string proof = spec.Build();
        int accepted = Enumerable.Range(0, 2 + (attempts.Get % 4)).Count(_ => Synchronous.Run(spec.ValidateAsync(proof)).IsSuccess);
        return accepted == 1;
    }
}
