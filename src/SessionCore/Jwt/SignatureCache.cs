using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Threading;
using SessionCore.Keys;

namespace SessionCore.Jwt;

/// <summary>
/// A bounded memory of tokens whose signature verified, keyed by the SHA-256 of the whole token and
/// tied to the key that verified it. Only the signature maths is skipped on a hit. When the ring loses
/// a key, entries of keys no longer in it are dropped before the next lookup.
/// </summary>
internal sealed class SignatureCache
{
    private readonly Lock _gate = new();
    private readonly Dictionary<TokenHash, SigningKey> _entries;
    private readonly Queue<TokenHash> _order;
    private readonly int _capacity;
    private readonly SigningKeyRing _ring;
    private int _generation;

    public SignatureCache(int capacity, SigningKeyRing ring)
    {
        _capacity = capacity;
        _ring = ring;
        _generation = ring.Generation;
        _entries = new Dictionary<TokenHash, SigningKey>(Math.Min(capacity, 1024));
        _order = new Queue<TokenHash>(Math.Min(capacity, 1024));
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                Sync();
                return _entries.Count;
            }
        }
    }

    public bool Contains(in TokenHash hash, SigningKey key)
    {
        lock (_gate)
        {
            Sync();
            return _entries.TryGetValue(hash, out SigningKey? cached) && ReferenceEquals(cached, key);
        }
    }

    public void Add(in TokenHash hash, SigningKey key)
    {
        lock (_gate)
        {
            Sync();
            if (_entries.ContainsKey(hash))
            {
                return;
            }

            // First in, first out: the oldest entries belong to the tokens closest to expiry.
            while (_entries.Count >= _capacity && _order.TryDequeue(out TokenHash oldest))
            {
                _entries.Remove(oldest);
            }

            _entries.Add(hash, key);
            _order.Enqueue(hash);
        }
    }

    private void Sync()
    {
        int generation = _ring.Generation;
        if (generation == _generation)
        {
            return;
        }

        _generation = generation;
        List<TokenHash> kept = new(_order.Count);
        foreach (TokenHash hash in _order)
        {
            if (_entries.TryGetValue(hash, out SigningKey? key))
            {
                if (_ring.TryGetKey(key.KeyIdUtf8, out SigningKey? current) && ReferenceEquals(current, key))
                {
                    kept.Add(hash);
                }
                else
                {
                    _entries.Remove(hash);
                }
            }
        }

        _order.Clear();
        foreach (TokenHash hash in kept)
        {
            _order.Enqueue(hash);
        }
    }
}

/// <summary>A SHA-256 digest as a value key.</summary>
internal readonly record struct TokenHash(ulong A, ulong B, ulong C, ulong D)
{
    public static TokenHash From(ReadOnlySpan<byte> digest)
    {
        ReadOnlySpan<ulong> words = MemoryMarshal.Cast<byte, ulong>(digest);
        return new TokenHash(words[0], words[1], words[2], words[3]);
    }
}
