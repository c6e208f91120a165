using System;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Threading;

namespace SessionCore.Keys;

/// <summary>
/// Remembers the public keys of recent proofs by RFC 7638 thumbprint, so a client that signs every request with
/// the same key pays for the key import (as costly as a verification for P-256: the point is validated) once.
/// </summary>
/// <remarks>
/// Direct-mapped and lock-free: each thumbprint has one slot, a newer key simply replaces an older one. A thumbprint
/// is SHA-256 over the key's canonical members, so equal thumbprints mean equal keys. Anyone can make keys, so a
/// flood of fresh keys only evicts entries; it never grows memory. Evicted keys are left to the garbage collector
/// rather than disposed, because another thread may still be verifying with one (and they hold no secret).
/// </remarks>
/// <threadsafety>Safe to share between threads.</threadsafety>
internal sealed class ProofKeyCache
{
    private readonly Entry?[] _entries;
    private readonly int _mask;

    /// <param name="size">The number of slots; rounded up to a power of two, at least 1.</param>
    public ProofKeyCache(int size)
    {
        int slots = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(size, 1));
        _entries = new Entry?[slots];
        _mask = slots - 1;
    }

    public SigningKey? Find(ReadOnlySpan<byte> thumbprint, SigningAlgorithm algorithm)
    {
        Entry? entry = Volatile.Read(ref _entries[Slot(thumbprint)]);
        return entry is not null && ReferenceEquals(entry.Key.Algorithm, algorithm) && thumbprint.SequenceEqual(entry.Thumbprint) && !entry.Key.IsDisposed
            ? entry.Key
            : null;
    }

    public void Add(ReadOnlySpan<byte> thumbprint, SigningKey key) =>
        Volatile.Write(ref _entries[Slot(thumbprint)], new Entry(thumbprint.ToArray(), key));

    private int Slot(ReadOnlySpan<byte> thumbprint) =>
        thumbprint.Length == SHA256.HashSizeInBytes ? (int)(BinaryPrimitives.ReadUInt32LittleEndian(thumbprint) & (uint)_mask) : throw new ArgumentException(null, nameof(thumbprint));

    private sealed record Entry(byte[] Thumbprint, SigningKey Key);
}
