using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading;
using System.Threading.Tasks;
using SessionCore.Sessions;
using SessionCore.StoreConformance;
using SessionCore.Stores;
using SessionCore.Tokens;

namespace SessionCore.Tests.Stores;

/// <summary>
/// The reference store against the public conformance suite. It has no backend to take down, so the failure cases skip;
/// faults between writes are injected through the store's test-only records interceptor, and a family's stored size is its
/// record serialized as a document store would hold it.
/// </summary>
public sealed class InMemorySessionStoreConformanceTests : SessionStoreConformanceTests
{
    private static readonly JsonSerializerOptions s_document = new()
    {
        Converters = { new TextConverter<SessionId>(id => id.ToString()), new TextConverter<RefreshFamilyId>(id => id.ToString()), new TextConverter<RefreshTokenHash>(hash => hash.ToString()) },
    };

    protected override ValueTask<ISessionStore> CreateStoreAsync() => ValueTask.FromResult<ISessionStore>(new InMemorySessionStore());

    protected override ValueTask<bool> InjectFaultAfterWritesAsync(ISessionStore store, int writes)
    {
        InMemorySessionStore inMemory = (InMemorySessionStore)store;
        int armed = 1;

        // One-shot: the next decision sees records that fail on write number writes + 1; later ones see the store's own.
        inMemory.RecordsInterceptor = records => Interlocked.Exchange(ref armed, 0) == 1 ? new FaultingRecords(records, writes) : records;
        return ValueTask.FromResult(true);
    }

    protected override ValueTask<long?> GetStoredFamilySizeAsync(ISessionStore store, RefreshFamily family) =>
        ValueTask.FromResult<long?>(JsonSerializer.SerializeToUtf8Bytes(family, s_document).Length);

    /// <summary>Reads through to the store's records and throws on the write after the allowed number, as a crash between two writes would.</summary>
    private sealed class FaultingRecords(IStoreRecords inner, int allowedWrites) : IStoreRecords
    {
        private int _writes;

        public DateTimeOffset? RevokedBefore => inner.RevokedBefore;

        public Session? FindSession(SessionId id) => inner.FindSession(id);

        public IReadOnlyList<Session> FindUserSessions(string userId) => inner.FindUserSessions(userId);

        public RefreshFamily? FindFamily(RefreshTokenHash tokenHash) => inner.FindFamily(tokenHash);

        public IReadOnlyList<RefreshFamily> FindSessionFamilies(SessionId sessionId) => inner.FindSessionFamilies(sessionId);

        public UserSecurityState FindUser(string userId) => inner.FindUser(userId);

        public long FindSecurityEpoch(string userId) => inner.FindSecurityEpoch(userId);

        public void InsertSession(Session session)
        {
            Write();
            inner.InsertSession(session);
        }

        public void UpdateSession(Session session)
        {
            Write();
            inner.UpdateSession(session);
        }

        public void InsertFamily(RefreshFamily family)
        {
            Write();
            inner.InsertFamily(family);
        }

        public void UpdateFamily(RefreshFamily family, RefreshTokenHash? addedTokenHash, RefreshTokenHash? removedTokenHash)
        {
            Write();
            inner.UpdateFamily(family, addedTokenHash, removedTokenHash);
        }

        public void UpdateUser(UserSecurityState state)
        {
            Write();
            inner.UpdateUser(state);
        }

        private void Write()
        {
            if (++_writes > allowedWrites)
            {
                throw new InvalidOperationException("Fault injected between two writes.");
            }
        }
    }

    private sealed class TextConverter<T>(Func<T, string> text) : JsonConverter<T>
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(text(value));
    }
}
