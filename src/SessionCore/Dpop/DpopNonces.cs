using System;
using System.Buffers.Binary;
using System.Text;
using System.Threading;
using SessionCore.Internal;

namespace SessionCore.Dpop;

/// <summary>
/// Stateless server nonces (RFC 9449 §8, §9): <c>base64url(version || bucket || HMAC-SHA-256(key, domain || scope ||
/// bucket)[..16])</c>, 34 characters of NQCHAR. The bucket is the Unix time divided by the nonce lifetime, so every
/// node that shares the key issues and accepts the same nonces without shared state.
/// </summary>
/// <remarks>
/// A nonce is accepted from the bucket that was current one lifetime ago up to the bucket current at
/// <c>now + FutureSkew</c> (a node whose clock runs a little ahead may have issued it): at least one and at most two
/// lifetimes after it was issued. Only the key's holder can make one, so none can be predicted (§8) and a client
/// cannot make proofs for later buckets in advance (§11.2). The nonce of the current bucket is computed once.
/// </remarks>
/// <threadsafety>Safe to share between threads.</threadsafety>
internal sealed class DpopNonces : IDisposable
{
    public const int Length = 34;

    private const byte Version = 1;
    private const int TagSize = 16;
    private const int RawSize = 1 + sizeof(long) + TagSize;

    private static ReadOnlySpan<byte> Domain => "SessionCore DPoP nonce v1\0"u8;

    private readonly HmacSha256Mac _mac;
    private readonly byte[] _macPrefix;
    private readonly long _lifetimeSeconds;
    private readonly TimeSpan _futureSkew;
    private Current? _current;

    public DpopNonces(ReadOnlySpan<byte> key, string scope, TimeSpan lifetime, TimeSpan futureSkew)
    {
        _mac = new HmacSha256Mac(key);
        byte[] scopeBytes = Encoding.UTF8.GetBytes(scope);
        _macPrefix = new byte[Domain.Length + 4 + scopeBytes.Length];
        Domain.CopyTo(_macPrefix);
        BinaryPrimitives.WriteInt32BigEndian(_macPrefix.AsSpan(Domain.Length), scopeBytes.Length);
        scopeBytes.CopyTo(_macPrefix.AsSpan(Domain.Length + 4));
        _lifetimeSeconds = (long)lifetime.TotalSeconds;
        _futureSkew = futureSkew;
    }

    /// <summary>The nonce to hand out at <paramref name="now"/>.</summary>
    public string Create(DateTimeOffset now)
    {
        long bucket = BucketOf(now);
        Current? current = Volatile.Read(ref _current);
        if (current is not null && current.Bucket == bucket)
        {
            return current.Nonce;
        }

        Span<byte> raw = stackalloc byte[RawSize];
        raw[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(raw[1..], bucket);
        Span<byte> tag = stackalloc byte[HmacSha256Mac.TagSize];
        ComputeTag(bucket, tag);
        tag[..TagSize].CopyTo(raw[(1 + sizeof(long))..]);
        string nonce = Base64UrlStrict.Encode(raw);
        Volatile.Write(ref _current, new Current(bucket, nonce));
        return nonce;
    }

    /// <summary>True when <paramref name="nonce"/> (UTF-8, as read from the proof) is one of ours and still current.</summary>
    public bool IsValid(ReadOnlySpan<byte> nonce, DateTimeOffset now)
    {
        Span<byte> raw = stackalloc byte[RawSize];
        if (nonce.Length != Length || !Base64UrlStrict.TryDecode(nonce, raw, out int written) || written != RawSize || raw[0] != Version)
        {
            return false;
        }

        long bucket = BinaryPrimitives.ReadInt64BigEndian(raw[1..]);
        if (bucket < BucketOf(now.AddSeconds(-_lifetimeSeconds)) || bucket > BucketOf(now + _futureSkew))
        {
            return false;
        }

        Span<byte> data = stackalloc byte[_macPrefix.Length + sizeof(long)];
        _macPrefix.CopyTo(data);
        BinaryPrimitives.WriteInt64BigEndian(data[_macPrefix.Length..], bucket);
        return _mac.Verify(data, raw[(1 + sizeof(long))..]);
    }

    public void Dispose() => _mac.Dispose();

    private long BucketOf(DateTimeOffset time) => Math.DivRem(time.ToUnixTimeSeconds(), _lifetimeSeconds, out long remainder) - (remainder < 0 ? 1 : 0);

    private void ComputeTag(long bucket, Span<byte> tag)
    {
        Span<byte> data = stackalloc byte[_macPrefix.Length + sizeof(long)];
        _macPrefix.CopyTo(data);
        BinaryPrimitives.WriteInt64BigEndian(data[_macPrefix.Length..], bucket);
        _mac.Compute(data, tag);
    }

    private sealed record Current(long Bucket, string Nonce);
}
