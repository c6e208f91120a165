using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using LiteDB;
using SessionCore.Sessions;
using SessionCore.Stores.LiteDb.Internal;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.Stores.LiteDb.Tests;

/// <summary>
/// The document mapping on records of the wrong shape. Each case is an input the litedb-document fuzz
/// target found: before, the readers threw NullReferenceException, InvalidCastException,
/// ArgumentOutOfRangeException or LiteDB's InvalidOperationException (which quotes the stored value and
/// escaped the store unwrapped), or returned a session whose user id was null.
/// </summary>
public sealed class LiteDbMapperTests : IDisposable
{
    private static readonly DateTimeOffset T0 = Records.T0;
    private static readonly SessionId Id = SessionId.Parse("nSSBXk2LwgcrzJO3tlaaDg9jWpixGwwRq7dJU9Ddhrc");
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void ToSession_EmptyDocument_ThrowsFormatException()
    {
        Assert.Throws<FormatException>(() => LiteDbMapper.ToSession([]));
        Assert.Throws<FormatException>(() => LiteDbMapper.ToFamily([]));
        Assert.Throws<FormatException>(() => LiteDbMapper.ToUserState([]));
    }

    [Fact]
    public void ToSession_OtherCollectionsRecord_ThrowsFormatException()
    {
        BsonDocument family = LiteDbMapper.ToDocument(Family());
        BsonDocument session = LiteDbMapper.ToDocument(Session());

        Assert.Throws<FormatException>(() => LiteDbMapper.ToSession(family));
        Assert.Throws<FormatException>(() => LiteDbMapper.ToFamily(session));
        Assert.Throws<FormatException>(() => LiteDbMapper.ToUserState(session));
    }

    [Fact]
    public void ToSession_NullUserId_ThrowsFormatException()
    {
        BsonDocument doc = LiteDbMapper.ToDocument(Session());
        doc[LiteDbMapper.UserId] = BsonValue.Null;

        Assert.Throws<FormatException>(() => LiteDbMapper.ToSession(doc));
    }

    [Fact]
    public void ToSession_DataEntryNotADocument_ThrowsFormatException()
    {
        BsonDocument doc = LiteDbMapper.ToDocument(Session());
        doc[LiteDbMapper.Data] = new BsonArray(new BsonValue("secret-session-value"));

        FormatException ex = Assert.Throws<FormatException>(() => LiteDbMapper.ToSession(doc));
        Assert.DoesNotContain("secret-session-value", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(long.MaxValue)]
    public void ToSession_TicksOutOfRange_ThrowsFormatException(long ticks)
    {
        BsonDocument doc = LiteDbMapper.ToDocument(Session());
        doc[LiteDbMapper.CreatedAt] = new BsonValue(ticks);

        Assert.Throws<FormatException>(() => LiteDbMapper.ToSession(doc));
    }

    [Fact]
    public void ToSession_NumberAsString_ThrowsFormatException()
    {
        BsonDocument doc = LiteDbMapper.ToDocument(Session());
        doc[LiteDbMapper.AuthenticationLevel] = new BsonValue("2");
        doc[LiteDbMapper.Version] = new BsonValue(true);

        Assert.Throws<FormatException>(() => LiteDbMapper.ToSession(doc));
    }

    [Fact]
    public void ToFamily_SpentHashNotAString_ThrowsFormatException()
    {
        BsonDocument doc = LiteDbMapper.ToDocument(Family());
        doc[LiteDbMapper.SpentTokenHashes] = new BsonArray(new BsonValue(42));

        Assert.Throws<FormatException>(() => LiteDbMapper.ToFamily(doc));
    }

    [Fact]
    public void ToFamily_HashNotInStoredForm_ThrowsFormatException()
    {
        BsonDocument doc = LiteDbMapper.ToDocument(Family());
        doc[LiteDbMapper.CurrentTokenHash] = "hash";

        Assert.Throws<FormatException>(() => LiteDbMapper.ToFamily(doc));
    }

    [Fact]
    public void ToSession_KeyBindingNotADocument_ThrowsFormatException()
    {
        BsonDocument doc = LiteDbMapper.ToDocument(Session());
        doc[LiteDbMapper.KeyBinding] = "thumbprint";

        Assert.Throws<FormatException>(() => LiteDbMapper.ToSession(doc));
    }

    [Fact]
    public void ToUserState_DeviceNotADocument_ThrowsFormatException()
    {
        BsonDocument doc = LiteDbMapper.ToDocument(new UserSecurityState("u", 1, []));
        doc[LiteDbMapper.KnownDevices] = new BsonArray(new BsonValue("device"));

        Assert.Throws<FormatException>(() => LiteDbMapper.ToUserState(doc));
    }

    [Fact]
    public void ToSession_RecordsItWrote_RoundTrip()
    {
        Session session = Session();
        RefreshFamily family = Family();
        UserSecurityState state = new("u", 3, [new KnownDevice("k", null, "Firefox", null, T0, T0.AddDays(1))]);

        Session back = LiteDbMapper.ToSession(LiteDbMapper.ToDocument(session));
        RefreshFamily familyBack = LiteDbMapper.ToFamily(LiteDbMapper.ToDocument(family));
        UserSecurityState stateBack = LiteDbMapper.ToUserState(LiteDbMapper.ToDocument(state));

        Assert.Equal(session.Id, back.Id);
        Assert.Equal(session.Data, back.Data);
        Assert.Equal(session.Device, back.Device);
        Assert.Equal(session.AuthenticationMethods, back.AuthenticationMethods);
        Assert.Equal(session.KeyBinding, back.KeyBinding);
        Assert.Equal(family.SpentTokenHashes, familyBack.SpentTokenHashes);
        Assert.Equal(family.PreviousTokenHash, familyBack.PreviousTokenHash);
        Assert.Equal(family.ClientId, familyBack.ClientId);
        Assert.Equal(family.KeyThumbprint, familyBack.KeyThumbprint);
        Assert.Equal(state.KnownDevices, stateBack.KnownDevices);
    }

    [Fact]
    public async Task FindAsync_CorruptRecordOnDisk_ThrowsSessionStoreException()
    {
        using LiteDbSessionStore store = new(new LiteDbSessionStoreOptions { FilePath = _folder.File("corrupt.db"), PurgeInterval = null });
        BsonDocument doc = LiteDbMapper.ToDocument(Session());
        doc[LiteDbMapper.Data] = new BsonArray(new BsonValue("not-a-document"));
        store.Database.GetCollection("sessions").Insert(doc);

        SessionStoreException ex = await Assert.ThrowsAsync<SessionStoreException>(async () => await store.FindAsync(Id, TestContext.Current.CancellationToken));
        Assert.IsType<FormatException>(ex.InnerException);
    }

    private static Session Session() => new()
    {
        Id = Id,
        UserId = "user",
        CreatedAt = T0,
        LastSeenAt = T0,
        AuthenticatedAt = T0,
        IdleExpiresAt = T0.AddMinutes(30),
        AbsoluteExpiresAt = T0.AddHours(12),
        Device = new SessionDevice("agent", null, "device"),
        Data = new Dictionary<string, string>(StringComparer.Ordinal) { ["k"] = "v" },
        AuthenticationMethods = ["pwd", "otp"],
        KeyBinding = new SessionKeyBinding("thumbprint", "{\"kty\":\"EC\"}", T0),
    };

    private static RefreshFamily Family() => Records.NewFamily(Session()) with
    {
        ClientId = "client",
        KeyThumbprint = "key-thumbprint",
        PreviousTokenHash = Records.NewHash(),
        SpentTokenHashes = [Records.NewHash()],
    };
}
