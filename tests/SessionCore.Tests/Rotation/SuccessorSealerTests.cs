using System;
using System.Security.Cryptography;
using SessionCore.Rotation;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.Tests.Rotation;

/// <summary>The sealed grace-window successor opens only under the key, parent and successor it was sealed for.</summary>
public sealed class SuccessorSealerTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(RefreshTokenOptions.SealingKeySize);

    [Fact]
    public void Open_AsSealed_ReturnsTheSuccessor()
    {
        using SuccessorSealer sealer = new(Key, TokenSource.System);
        RefreshToken parent = RefreshToken.Mint(TokenSource.System);
        RefreshToken successor = RefreshToken.Mint(TokenSource.System);

        RefreshToken? opened = sealer.Open(sealer.Seal(successor, parent.Hash), parent.Hash, successor.Hash);

        Assert.NotNull(opened);
        Assert.Equal(successor.Reveal(), opened.Reveal());
    }

    [Fact]
    public void Open_UnderAnotherParentHash_IsNull()
    {
        // The binding itself, independent of any later hash comparison: a sealed value copied into another
        // family (another parent) must not open there.
        using SuccessorSealer sealer = new(Key, TokenSource.System);
        RefreshToken successor = RefreshToken.Mint(TokenSource.System);
        byte[] sealedValue = sealer.Seal(successor, RefreshToken.Mint(TokenSource.System).Hash);

        Assert.Null(sealer.Open(sealedValue, RefreshToken.Mint(TokenSource.System).Hash, successor.Hash));
    }

    [Fact]
    public void Open_ForAnotherSuccessorHash_IsNull()
    {
        using SuccessorSealer sealer = new(Key, TokenSource.System);
        RefreshTokenHash parent = RefreshToken.Mint(TokenSource.System).Hash;
        byte[] sealedValue = sealer.Seal(RefreshToken.Mint(TokenSource.System), parent);

        Assert.Null(sealer.Open(sealedValue, parent, RefreshToken.Mint(TokenSource.System).Hash));
    }

    [Fact]
    public void Open_WithAnotherKeyOrAlteredBytes_IsNull()
    {
        using SuccessorSealer sealer = new(Key, TokenSource.System);
        using SuccessorSealer other = new(RandomNumberGenerator.GetBytes(RefreshTokenOptions.SealingKeySize), TokenSource.System);
        RefreshTokenHash parent = RefreshToken.Mint(TokenSource.System).Hash;
        RefreshToken successor = RefreshToken.Mint(TokenSource.System);
        byte[] sealedValue = sealer.Seal(successor, parent);
        byte[] altered = (byte[])sealedValue.Clone();
        altered[^1] ^= 1;

        Assert.Null(other.Open(sealedValue, parent, successor.Hash));
        Assert.Null(sealer.Open(altered, parent, successor.Hash));
        Assert.Null(sealer.Open(sealedValue.AsSpan(1), parent, successor.Hash));
    }
}
