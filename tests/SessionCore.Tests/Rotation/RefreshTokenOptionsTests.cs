using System;
using SessionCore.Rotation;
using Xunit;

namespace SessionCore.Tests.Rotation;

public sealed class RefreshTokenOptionsTests
{
    [Fact]
    public void Defaults_AreDocumentedValues()
    {
        RefreshTokenOptions options = new();
        Assert.Equal(TimeSpan.FromDays(7), options.FamilyLifetime);
        Assert.Equal(TimeSpan.FromDays(1), options.IdleLifetime);
        Assert.Equal(TimeSpan.FromSeconds(10), options.GraceWindow);
        Assert.True(options.SealingKey.IsEmpty);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(61)]
    public void Create_GraceOutOfBounds_Throws(int seconds) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RefreshTokenSettings.Create(new RefreshTokenOptions { GraceWindow = TimeSpan.FromSeconds(seconds) }));

    [Theory]
    [InlineData(0)]
    [InlineData(60)]
    public void Create_GraceAtBounds_Accepted(int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), RefreshTokenSettings.Create(new RefreshTokenOptions { GraceWindow = TimeSpan.FromSeconds(seconds) }).GraceWindow);

    [Fact]
    public void Create_SeveralProblems_ReportsEveryOneAtOnce()
    {
        RefreshTokenOptions options = new() { GraceWindow = TimeSpan.FromMinutes(2), IdleLifetime = TimeSpan.Zero, SealingKey = new byte[5] };

        ArgumentException error = Assert.Throws<ArgumentException>(() => RefreshTokenSettings.Create(options));

        Assert.StartsWith("The options have 4 problems:", error.Message, StringComparison.Ordinal);
        Assert.Contains("options.GraceWindow", error.Message, StringComparison.Ordinal);
        Assert.Contains("options.IdleLifetime", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_LifetimesOutOfBounds_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RefreshTokenSettings.Create(new RefreshTokenOptions { FamilyLifetime = TimeSpan.FromDays(91) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => RefreshTokenSettings.Create(new RefreshTokenOptions { FamilyLifetime = TimeSpan.FromSeconds(59) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => RefreshTokenSettings.Create(new RefreshTokenOptions { IdleLifetime = TimeSpan.Zero }));
        Assert.Throws<ArgumentException>(() => RefreshTokenSettings.Create(new RefreshTokenOptions { FamilyLifetime = TimeSpan.FromHours(1), IdleLifetime = TimeSpan.FromHours(2) }));
    }

    [Theory]
    [InlineData(16)]
    [InlineData(31)]
    [InlineData(33)]
    public void Create_SealingKeyWrongLength_Throws(int length) =>
        Assert.Throws<ArgumentException>(() => RefreshTokenSettings.Create(new RefreshTokenOptions { SealingKey = new byte[length] }));

    [Fact]
    public void Create_SealingKeyOneRepeatedByte_Throws() =>
        Assert.Throws<ArgumentException>(() => RefreshTokenSettings.Create(new RefreshTokenOptions { SealingKey = new byte[32] }));

    [Fact]
    public void Create_SealingKey_IsCopied()
    {
        byte[] key = new byte[32];
        key[0] = 1;
        RefreshTokenSettings settings = RefreshTokenSettings.Create(new RefreshTokenOptions { SealingKey = key });
        key[0] = 2;
        Assert.Equal(1, settings.SealingKey[0]);
    }

    [Fact]
    public void Create_LaterChanges_Ignored()
    {
        RefreshTokenOptions options = new();
        RefreshTokenSettings settings = RefreshTokenSettings.Create(options);
        options.GraceWindow = TimeSpan.FromSeconds(30);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.GraceWindow);
    }
}
