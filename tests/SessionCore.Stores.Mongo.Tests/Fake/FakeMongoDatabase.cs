using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;
using MongoDB.Driver;

namespace SessionCore.Stores.Mongo.Tests.Fake;

/// <summary>
/// An in-process stand-in for the few collection operations the store uses, so the conformance suite can
/// exercise the store's read-decide-swap loops here, where no server runs. Each operation is atomic under
/// one lock and works on deep copies, as single-document operations on a server do. It evaluates the query
/// operators the store renders ($or, $eq, $exists, $lte, equality through arrays) and the update operators
/// ($max, $set, $inc, $setOnInsert, upsert), and enforces unique indexes across documents on inserts and replacements.
/// It checks the store's logic, not a server's behaviour; the real server runs in the mongo workflow.
/// </summary>
internal static class FakeMongoDatabase
{
    public static IMongoDatabase Create()
    {
        IMongoDatabase database = DispatchProxy.Create<IMongoDatabase, DatabaseProxy>();
        return database;
    }

    public class DatabaseProxy : DispatchProxy
    {
        private readonly ConcurrentDictionary<string, IMongoCollection<BsonDocument>> _collections = new(StringComparer.Ordinal);

        /// <summary>Gets or sets a value indicating whether every operation fails as if the server were gone.</summary>
        public bool Unavailable { get; set; }

        /// <summary>Gets how many times each collection operation was called (one call is one round trip to a server).</summary>
        public ConcurrentDictionary<string, int> Calls { get; } = new(StringComparer.Ordinal);

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod?.Name == nameof(IMongoDatabase.GetCollection))
            {
                return _collections.GetOrAdd((string)args![0]!, _ =>
                {
                    IMongoCollection<BsonDocument> collection = DispatchProxy.Create<IMongoCollection<BsonDocument>, CollectionProxy>();
                    ((CollectionProxy)(object)collection).Self = collection;
                    ((CollectionProxy)(object)collection).Owner = this;
                    return collection;
                });
            }

            throw new NotSupportedException(targetMethod?.Name);
        }
    }

    public class CollectionProxy : DispatchProxy
    {
        private static readonly RenderArgs<BsonDocument> Args = new(BsonDocumentSerializer.Instance, BsonSerializer.SerializerRegistry);
        private readonly Lock _gate = new();
        private readonly Dictionary<BsonValue, BsonDocument> _docs = [];
        private readonly HashSet<string> _unique = new(StringComparer.Ordinal);

        public IMongoCollection<BsonDocument>? Self { get; set; }

        public DatabaseProxy? Owner { get; set; }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            args ??= [];
            if (Owner?.Unavailable == true && targetMethod.Name.EndsWith("Async", StringComparison.Ordinal))
            {
                // What the driver throws when server selection times out.
                throw new TimeoutException("A timeout occurred after 30000ms selecting a server.");
            }

            if (Owner is not null && targetMethod.Name.EndsWith("Async", StringComparison.Ordinal))
            {
                Owner.Calls.AddOrUpdate(targetMethod.Name, 1, (_, count) => count + 1);
            }
            switch (targetMethod.Name)
            {
                case "WithWriteConcern":
                case "WithReadConcern":
                case "WithReadPreference":
                    return Self;
                case "get_Indexes":
                    IMongoIndexManager<BsonDocument> indexes = DispatchProxy.Create<IMongoIndexManager<BsonDocument>, IndexProxy>();
                    ((IndexProxy)(object)indexes).Collection = this;
                    return indexes;
                case "get_DocumentSerializer":
                    return BsonDocumentSerializer.Instance;
                case "get_Settings":
                    return new MongoCollectionSettings();
                case "FindAsync" when args.Length == 3 && args[0] is FilterDefinition<BsonDocument> filter:
                    lock (_gate)
                    {
                        BsonDocument rendered = filter.Render(Args);
                        int limit = (args[1] as FindOptions<BsonDocument, BsonDocument>)?.Limit ?? int.MaxValue;
                        List<BsonDocument> found = [.. _docs.Values.Where(d => Matches(d, rendered)).Take(limit).Select(d => d.DeepClone().AsBsonDocument)];
                        return Task.FromResult<IAsyncCursor<BsonDocument>>(new ListCursor(found));
                    }

                case "InsertOneAsync" when args.Length == 3 && args[0] is BsonDocument doc:
                    lock (_gate)
                    {
                        CheckUnique(doc);
                        if (!_docs.TryAdd(doc["_id"], doc.DeepClone().AsBsonDocument))
                        {
                            throw DuplicateKey();
                        }

                        return Task.CompletedTask;
                    }

                case "ReplaceOneAsync" when args.Length == 4 && args[0] is FilterDefinition<BsonDocument> filter && args[1] is BsonDocument replacement:
                    lock (_gate)
                    {
                        BsonDocument? target = Single(filter);
                        if (target is not null)
                        {
                            CheckUnique(replacement);
                            _docs[target["_id"]] = replacement.DeepClone().AsBsonDocument;
                        }

                        return Task.FromResult<ReplaceOneResult>(new ReplaceOneResult.Acknowledged(target is null ? 0 : 1, target is null ? 0 : 1, null));
                    }

                case "DeleteOneAsync" when args.Length == 2 && args[0] is FilterDefinition<BsonDocument> filter:
                    lock (_gate)
                    {
                        BsonDocument? target = Single(filter);
                        if (target is not null)
                        {
                            _docs.Remove(target["_id"]);
                        }

                        return Task.FromResult<DeleteResult>(new DeleteResult.Acknowledged(target is null ? 0 : 1));
                    }

                case "UpdateOneAsync" when args.Length == 4 && args[0] is FilterDefinition<BsonDocument> filter && args[1] is UpdateDefinition<BsonDocument> update:
                    lock (_gate)
                    {
                        (BsonDocument? doc, bool inserted) = Update(filter, update, (args[2] as UpdateOptions)?.IsUpsert ?? false);
                        return Task.FromResult<UpdateResult>(new UpdateResult.Acknowledged(doc is null || inserted ? 0 : 1, doc is null || inserted ? 0 : 1, inserted ? doc!["_id"] : null));
                    }

                case "FindOneAndUpdateAsync" when args.Length == 4 && args[0] is FilterDefinition<BsonDocument> filter && args[1] is UpdateDefinition<BsonDocument> update:
                    lock (_gate)
                    {
                        FindOneAndUpdateOptions<BsonDocument, BsonDocument>? options = args[2] as FindOneAndUpdateOptions<BsonDocument, BsonDocument>;
                        (BsonDocument? doc, _) = Update(filter, update, options?.IsUpsert ?? false);
                        return Task.FromResult(doc?.DeepClone().AsBsonDocument);
                    }

                default:
                    throw new NotSupportedException(targetMethod.Name);
            }
        }

        /// <summary>Registers the paths of unique indexes, which inserts and replacements then enforce across documents.</summary>
        public void AddUniqueIndex(string path)
        {
            lock (_gate)
            {
                _unique.Add(path);
            }
        }

        // As a server's unique (multikey) index: no value may appear in two documents; repeats inside one are allowed.
        private void CheckUnique(BsonDocument doc)
        {
            foreach (string path in _unique)
            {
                HashSet<BsonValue> values = [.. Leaves(Resolve(doc, path))];
                if (_docs.Values.Any(other => other["_id"] != doc["_id"] && Leaves(Resolve(other, path)).Any(values.Contains)))
                {
                    throw DuplicateKey();
                }
            }
        }

        private static MongoWriteException DuplicateKey()
        {
            ConstructorInfo writeErrorCtor = typeof(WriteError).GetConstructors(BindingFlags.NonPublic | BindingFlags.Instance).Single();
            WriteError error = (WriteError)writeErrorCtor.Invoke([ServerErrorCategory.DuplicateKey, 11000, "duplicate key", null]);
            return new MongoWriteException(new MongoDB.Driver.Core.Connections.ConnectionId(new MongoDB.Driver.Core.Servers.ServerId(new MongoDB.Driver.Core.Clusters.ClusterId(), new System.Net.DnsEndPoint("fake", 27017))), error, null, null);
        }

        private static bool Matches(BsonValue doc, BsonDocument query)
        {
            foreach (BsonElement condition in query)
            {
                bool ok = condition.Name switch
                {
                    "$or" => condition.Value.AsBsonArray.Any(q => Matches(doc, q.AsBsonDocument)),
                    "$and" => condition.Value.AsBsonArray.All(q => Matches(doc, q.AsBsonDocument)),
                    _ => MatchesPath(Resolve(doc, condition.Name), condition.Value),
                };
                if (!ok)
                {
                    return false;
                }
            }

            return true;
        }

        // The values a dotted path reaches, descending through arrays as MongoDB does; empty when missing.
        private static List<BsonValue> Resolve(BsonValue value, string path)
        {
            List<BsonValue> current = [value];
            foreach (string part in path.Split('.'))
            {
                List<BsonValue> next = [];
                foreach (BsonValue v in current)
                {
                    IEnumerable<BsonValue> items = v.IsBsonArray ? v.AsBsonArray : [v];
                    foreach (BsonValue item in items)
                    {
                        if (item.IsBsonDocument && item.AsBsonDocument.TryGetValue(part, out BsonValue child))
                        {
                            next.Add(child);
                        }
                    }
                }

                current = next;
            }

            return current;
        }

        private static bool MatchesPath(List<BsonValue> values, BsonValue condition)
        {
            if (condition.IsBsonDocument && condition.AsBsonDocument.ElementCount > 0 && condition.AsBsonDocument.GetElement(0).Name.StartsWith('$'))
            {
                foreach (BsonElement op in condition.AsBsonDocument)
                {
                    bool ok = op.Name switch
                    {
                        "$lte" => Leaves(values).Any(v => v.BsonType == op.Value.BsonType || (v.IsNumeric && op.Value.IsNumeric) ? v.CompareTo(op.Value) <= 0 : false),
                        "$eq" => Leaves(values).Any(v => v.Equals(op.Value)) || values.Any(v => v.Equals(op.Value)),
                        "$in" => op.Value.AsBsonArray.Any(item => Leaves(values).Any(v => v.Equals(item))),
                        "$exists" => op.Value.ToBoolean() == (values.Count > 0),
                        "$elemMatch" => values.Any(v => v.IsBsonArray && v.AsBsonArray.Any(e => Matches(e, op.Value.AsBsonDocument))),
                        _ => throw new NotSupportedException(op.Name),
                    };
                    if (!ok)
                    {
                        return false;
                    }
                }

                return true;
            }

            if (condition.IsBsonNull)
            {
                return values.Count == 0 || Leaves(values).Any(v => v.IsBsonNull);
            }

            return Leaves(values).Any(v => v.Equals(condition)) || values.Any(v => v.Equals(condition));
        }

        private static IEnumerable<BsonValue> Leaves(List<BsonValue> values) => values.SelectMany(v => v.IsBsonArray ? (IEnumerable<BsonValue>)v.AsBsonArray : [v]);

        private BsonDocument? Single(FilterDefinition<BsonDocument> filter)
        {
            BsonDocument rendered = filter.Render(Args);
            return _docs.Values.FirstOrDefault(d => Matches(d, rendered));
        }

        private (BsonDocument? Doc, bool Inserted) Update(FilterDefinition<BsonDocument> filter, UpdateDefinition<BsonDocument> update, bool upsert)
        {
            BsonDocument rendered = update.Render(Args).AsBsonDocument;
            BsonDocument? target = Single(filter);
            bool inserted = false;
            if (target is null)
            {
                if (!upsert)
                {
                    return (null, false);
                }

                BsonValue id = filter.Render(Args)["_id"];
                if (_docs.ContainsKey(id))
                {
                    throw DuplicateKey();
                }

                target = new BsonDocument("_id", id);
                _docs.Add(id, target);
                inserted = true;
            }

            foreach (BsonElement op in rendered)
            {
                foreach (BsonElement field in op.Value.AsBsonDocument)
                {
                    switch (op.Name)
                    {
                        case "$set":
                            target[field.Name] = field.Value.DeepClone();
                            break;
                        case "$setOnInsert" when inserted:
                            target[field.Name] = field.Value.DeepClone();
                            break;
                        case "$setOnInsert":
                            break;
                        case "$max":
                            target[field.Name] = target.TryGetValue(field.Name, out BsonValue current) && current.CompareTo(field.Value) >= 0 ? current : field.Value;
                            break;
                        case "$inc":
                            target[field.Name] = target.TryGetValue(field.Name, out BsonValue old) ? new BsonInt64(old.ToInt64() + field.Value.ToInt64()) : field.Value;
                            break;
                        default:
                            throw new NotSupportedException(op.Name);
                    }
                }
            }

            return (target, inserted);
        }
    }

    public class IndexProxy : DispatchProxy
    {
        public CollectionProxy? Collection { get; set; }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod?.Name != "CreateManyAsync")
            {
                throw new NotSupportedException(targetMethod?.Name);
            }

            List<CreateIndexModel<BsonDocument>> models = [.. (IEnumerable<CreateIndexModel<BsonDocument>>)args![0]!];
            foreach (CreateIndexModel<BsonDocument> model in models.Where(m => m.Options.Unique == true))
            {
                Collection?.AddUniqueIndex(model.Keys.Render(new RenderArgs<BsonDocument>(BsonDocumentSerializer.Instance, BsonSerializer.SerializerRegistry)).GetElement(0).Name);
            }

            return Task.FromResult<IEnumerable<string>>([.. models.Select(m => m.Options.Name)]);
        }
    }

    private sealed class ListCursor(List<BsonDocument> documents) : IAsyncCursor<BsonDocument>
    {
        private bool _moved;

        public IEnumerable<BsonDocument> Current => documents;

        public bool MoveNext(CancellationToken cancellationToken = default)
        {
            bool first = !_moved;
            _moved = true;
            return first;
        }

        public Task<bool> MoveNextAsync(CancellationToken cancellationToken = default) => Task.FromResult(MoveNext(cancellationToken));

        public void Dispose()
        {
        }
    }
}
