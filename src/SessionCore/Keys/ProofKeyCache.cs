using System;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Threading;

namespace SessionCore.Keys;

/// <summary>
/// Remembers the public keys of recent proofs, so a client that signs every request with the same key pays for the
/// key import (as costly as a verification for P-256: the point is validated) and for reading its header once:
/// keys by RFC 7638 thumbprint, and whole protected headers (byte for byte, as received) with the algorithm and key
/// they were read as.
/// </summary>
/// <remarks>
/// <para>
/// Direct-mapped and lock-free: each thumbprint or header has one slot, and a newer entry simply replaces an older
/// one. A thumbprint is SHA-256 over the key's canonical members, so equal thumbprints mean equal keys; a header is
/// compared in full, so a hit means the very bytes that were read (strictly, under the same policy) before. Anyone
/// can make keys and headers, so a flood only evicts entries; it never grows memory, and a collision in a slot only
/// costs a fresh read.
/// </para>
/// <para>
/// One cache serves one <see cref="ProofJwsPolicy"/>: a header read under one allow-list must not be trusted under
/// another. Evicted keys are left to the garbage collector rather than disposed, because another thread may still be
/// verifying with one (and they hold no secret).
/// </para>
/// </remarks>
/// <threadsafety>Safe to share between threads.</threadsafety>
internal sealed class ProofKeyCache
{
    private const int MaxHeaderLength = 1024;

    private readonly KeyEntry?[] _keys;
    private readonly HeaderEntry?[] _headers;
    private readonly int _mask;

    /// <param name="size">The number of slots of each table; rounded up to a power of two, at least 1.</param>
    public ProofKeyCache(int size)
    {
        int slots = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(size, 1));
        _keys = new KeyEntry?[slots];
        _headers = new HeaderEntry?[slots];
        _mask = slots - 1;
    }

    public SigningKey? Find(ReadOnlySpan<byte> thumbprint, SigningAlgorithm algorithm)
    {
        KeyEntry? entry = Volatile.Read(ref _keys[KeySlot(thumbprint)]);
        return entry is not null && ReferenceEquals(entry.Key.Algorithm, algorithm) && thumbprint.SequenceEqual(entry.Thumbprint) && !entry.Key.IsDisposed
            ? entry.Key
            : null;
    }

    public void Add(ReadOnlySpan<byte> thumbprint, SigningKey key) =>
        Volatile.Write(ref _keys[KeySlot(thumbprint)], new KeyEntry(thumbprint.ToArray(), key));

    /// <summary>The algorithm and key a byte-identical encoded header was read as, when it is still cached.</summary>
    public bool TryFindHeader(ReadOnlySpan<byte> encodedHeader, out ProofAlgorithm? algorithm, out SigningKey? key)
    {
        HeaderEntry? entry = encodedHeader.Length <= MaxHeaderLength ? Volatile.Read(ref _headers[HeaderSlot(encodedHeader)]) : null;
        if (entry is not null && encodedHeader.SequenceEqual(entry.EncodedHeader) && !entry.Key.IsDisposed)
        {
            algorithm = entry.Algorithm;
            key = entry.Key;
            return true;
        }

        algorithm = null;
        key = null;
        return false;
    }

    /// <summary>Remembers an encoded header that was read and whose key imported under this cache's policy.</summary>
    public void AddHeader(ReadOnlySpan<byte> encodedHeader, ProofAlgorithm algorithm, SigningKey key)
    {
        if (encodedHeader.Length <= MaxHeaderLength)
        {
            Volatile.Write(ref _headers[HeaderSlot(encodedHeader)], new HeaderEntry(encodedHeader.ToArray(), algorithm, key));
        }
    }

    private int KeySlot(ReadOnlySpan<byte> thumbprint) =>
        thumbprint.Length == SHA256.HashSizeInBytes ? (int)(BinaryPrimitives.ReadUInt32LittleEndian(thumbprint) & (uint)_mask) : throw new ArgumentException(null, nameof(thumbprint));

    // Not a security boundary (a hit is confirmed byte for byte): HashCode's per-process random seed is enough.
    private int HeaderSlot(ReadOnlySpan<byte> encodedHeader)
    {
        HashCode hash = default;
        hash.AddBytes(encodedHeader);
        return hash.ToHashCode() & _mask;
    }

    private sealed record KeyEntry(byte[] Thumbprint, SigningKey Key);

    private sealed record HeaderEntry(byte[] EncodedHeader, ProofAlgorithm Algorithm, SigningKey Key);
}
