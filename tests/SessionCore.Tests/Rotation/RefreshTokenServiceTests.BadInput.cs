using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using SessionCore.Rotation;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.Tests.Rotation;

public sealed class RefreshTokenServiceBadInputTests
{
    public static TheoryData<string, RefreshTokenStatus> BadInputs()
    {
        string valid = RefreshToken.Mint(TokenSource.System).Reveal();
        return new TheoryData<string, RefreshTokenStatus>
        {
            { "", RefreshTokenStatus.Malformed },
            { "   ", RefreshTokenStatus.Malformed },
            { "scr_", RefreshTokenStatus.Malformed },
            { valid[..^1], RefreshTokenStatus.Malformed },
            { valid[..20], RefreshTokenStatus.Malformed },
            { valid + "A", RefreshTokenStatus.Malformed },
            { new string('A', 100_000), RefreshTokenStatus.Malformed },
            { "scr_" + new string('A', 100_000), RefreshTokenStatus.Malformed },
            { " " + valid, RefreshTokenStatus.Malformed },
            { valid + "\n", RefreshTokenStatus.Malformed },
            { valid.Replace('_', ' '), RefreshTokenStatus.Malformed },
            { "Bearer " + valid, RefreshTokenStatus.Malformed },
            { "eyJhbGciOiJFUzI1NiIsInR5cCI6ImF0K2p3dCJ9.eyJzdWIiOiJhbGljZSJ9.AAAA", RefreshTokenStatus.Malformed },
            { "scr_\u00e9AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", RefreshTokenStatus.Malformed },
            { valid, RefreshTokenStatus.NotFound },
        };
    }

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Redeem_BadInput_TypedFailureAndStoreUnchanged(string input, RefreshTokenStatus expected)
    {
        using RotationHarness h = new();
        (SessionToken sessionToken, RefreshTokenResult issued) = await h.SignInAndIssueAsync();
        string snapshot = await SnapshotAsync(h, sessionToken, issued);
        int writes = h.Store.Writes;

        RefreshTokenResult result = await h.Service.RedeemAsync(input);

        Assert.Equal(expected, result.Status);
        Assert.False(result.IsSuccess);
        Assert.Equal(writes, h.Store.Writes);
        Assert.Equal(snapshot, await SnapshotAsync(h, sessionToken, issued));
        Assert.Empty(h.Events.Reuses);
    }

    [Fact]
    public async Task Redeem_SessionTokenOfferedAsRefresh_MalformedAndStoreUnchanged()
    {
        using RotationHarness h = new();
        (SessionToken sessionToken, RefreshTokenResult issued) = await h.SignInAndIssueAsync();
        string snapshot = await SnapshotAsync(h, sessionToken, issued);

        RefreshTokenResult result = await h.Service.RedeemAsync(sessionToken.Reveal());

        Assert.Equal(RefreshTokenStatus.Malformed, result.Status);
        Assert.Equal(snapshot, await SnapshotAsync(h, sessionToken, issued));
    }

    [Fact]
    public async Task Redeem_RefreshTokenOfferedAsSession_NotValid()
    {
        using RotationHarness h = new();
        (_, RefreshTokenResult issued) = await h.SignInAndIssueAsync();
        Assert.Equal(SessionValidationStatus.Malformed, (await h.Manager.ValidateAsync(issued.Value.Reveal())).Status);
        Assert.Equal(RefreshTokenStatus.Malformed, (await h.Service.IssueAsync(issued.Value.Reveal())).Status);
    }

    [Fact]
    public async Task Redeem_AnotherFamilysToken_OnlyThatFamilyMoves()
    {
        using RotationHarness h = new();
        (SessionToken mine, RefreshTokenResult myFamily) = await h.SignInAndIssueAsync("alice");
        (_, RefreshTokenResult theirs) = await h.SignInAndIssueAsync("mallory");
        string snapshot = await SnapshotAsync(h, mine, myFamily);

        RefreshTokenResult result = await h.Service.RedeemAsync(theirs.Value);

        Assert.Equal(RefreshTokenStatus.Rotated, result.Status);
        Assert.Equal(theirs.FamilyId, result.FamilyId);
        Assert.Equal(snapshot, await SnapshotAsync(h, mine, myFamily));
    }

    private static async Task<string> SnapshotAsync(RotationHarness h, SessionToken sessionToken, RefreshTokenResult issued)
    {
        RefreshFamily family = await h.RequireFamilyAsync(issued.Value.Hash);
        Session? session = await h.Store.FindAsync(sessionToken.Id);
        IEnumerable<string> parts =
        [
            family.FamilyId.ToString(), family.Generation.ToString(System.Globalization.CultureInfo.InvariantCulture), family.CurrentTokenHash.ToString(),
            family.PreviousTokenHash?.ToString() ?? "-", family.IsRevoked.ToString(), family.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Convert.ToBase64String(family.SealedCurrentToken.Span), string.Join(',', family.SpentTokenHashes),
            session!.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), session.IsRevoked.ToString(),
        ];
        return string.Join('|', parts.Select(p => p));
    }
}
