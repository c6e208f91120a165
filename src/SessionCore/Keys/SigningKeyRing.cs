using System;
using System.Buffers;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using System.Threading;
using SessionCore.Internal;
using SessionCore.Jwt;

namespace SessionCore.Keys;

/// <summary>
/// The keys of an access-token issuer: one active signing key and older keys kept for verification
/// until the last token they signed has expired. Publishes a JWKS of the public parts.
/// </summary>
/// <remarks>
/// <para>
/// The keys may be of different algorithms: a ring can hold an ES256 key and an RS256 key at once, and
/// rotate from one algorithm to another. Each token is verified only with the key its <c>kid</c> names and
/// only under that key's algorithm.
/// </para>
/// <para>
/// Rotation without downtime: publish the new key's public part first (<see cref="AddVerificationKey"/>
/// on the verifiers, or rely on the JWKS), then <see cref="Rotate"/>. The previous active key stays
/// for verification for <see cref="RetiredKeyRetention"/> (by default the longest token lifetime plus
/// the largest clock skew) and then stops verifying; <see cref="RemoveExpired"/> drops it.
/// </para>
/// <para>
/// Security: the ring never disposes keys; whoever created a key disposes it after it has left the
/// ring. A key id is the RFC 7638 thumbprint, so two keys can never share one.
/// </para>
/// </remarks>
/// <threadsafety>Safe to share: readers see an immutable snapshot, writers take a lock.</threadsafety>
public sealed class SigningKeyRing
{
    /// <summary>The longest JWKS text <see cref="ImportJwks"/> reads, in characters (room for about twenty 4096-bit RSA keys with their certificates).</summary>
    public const int MaxJwksLength = 64 * 1024;

    /// <summary>The most keys <see cref="ImportJwks"/> reads from one JWKS.</summary>
    public const int MaxJwksKeys = 32;

    /// <summary>The default retention of a retired key: the longest access-token lifetime (60 minutes) plus the largest clock skew (5 minutes).</summary>
    public static readonly TimeSpan DefaultRetiredKeyRetention = AccessTokenOptions.MaxLifetime + AccessTokenOptions.MaxClockSkew;

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private volatile State _state = State.Empty;
    private TimeSpan _retention = DefaultRetiredKeyRetention;
    private int _generation;

    /// <summary>Initializes a new instance of the <see cref="SigningKeyRing"/> class with no key (add keys before use).</summary>
    /// <param name="timeProvider">The time source, or <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    public SigningKeyRing(TimeProvider? timeProvider = null) => _time = timeProvider ?? TimeProvider.System;

    /// <summary>Initializes a new instance of the <see cref="SigningKeyRing"/> class with an active key.</summary>
    /// <param name="activeKey">The key that signs new tokens; it must hold a private part.</param>
    /// <param name="timeProvider">The time source, or <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="activeKey"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="activeKey"/> cannot sign.</exception>
    public SigningKeyRing(SigningKey activeKey, TimeProvider? timeProvider = null)
        : this(timeProvider) => Rotate(activeKey);

    /// <summary>Gets or sets how long a key stays usable for verification after it stopped being active.</summary>
    /// <value><see cref="DefaultRetiredKeyRetention"/> (65 minutes); between 0 and 30 days.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is out of bounds.</exception>
    /// <remarks>Security: shorter than the token lifetime plus the clock skew, valid tokens start failing after a rotation.</remarks>
    public TimeSpan RetiredKeyRetention
    {
        get => _retention;
        set => _retention = Throw.IfOutOfRange(value, TimeSpan.Zero, TimeSpan.FromDays(30));
    }

    /// <summary>Gets the key that signs new tokens, or <see langword="null"/> for a verification-only ring.</summary>
    public SigningKey? ActiveKey => _state.Active;

    /// <summary>Gets the keys currently usable for verification (the active one first).</summary>
    public IReadOnlyList<SigningKey> Keys
    {
        get
        {
            DateTimeOffset now = _time.GetUtcNow();
            List<SigningKey> keys = [];
            foreach (Entry entry in _state.Entries)
            {
                if (entry.IsUsableAt(now))
                {
                    keys.Add(entry.Key);
                }
            }

            return keys;
        }
    }

    /// <summary>Gets a counter that grows whenever a key leaves the ring, so caches can drop what it verified.</summary>
    internal int Generation => Volatile.Read(ref _generation);

    /// <summary>Reads a JWKS (<c>{"keys":[…]}</c>) into a verification-only ring.</summary>
    /// <remarks>
    /// <para>
    /// Security: a JWKS is published; one that carries a private part (<c>d</c>) is a leak waiting to
    /// happen, so it is refused rather than silently turned into a signing-capable ring.
    /// </para>
    /// <para>
    /// Security (hostile JWKS): the text is bounded (<see cref="MaxJwksLength"/>, <see cref="MaxJwksKeys"/>)
    /// before it is parsed, every key is imported as strictly as <see cref="SigningKey.ImportJwk"/> does (an
    /// <c>alg</c> that disagrees with the key type, an RSA key outside 2048 to 4096 bits or with a bad exponent,
    /// non-canonical numbers: all refused), and one key listed under two algorithms (an RSA modulus as RS256 and
    /// as PS256) is refused, because a key serves one algorithm. A key listed twice with the same algorithm is kept once.
    /// </para>
    /// </remarks>
    /// <param name="jwks">The JWKS JSON.</param>
    /// <param name="timeProvider">The time source, or <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <returns>The ring.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="jwks"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The JWKS is too long or has too many keys, is malformed, has duplicate members, an unsupported or invalid key, one key under two algorithms, or a private key.</exception>
    public static SigningKeyRing ImportJwks(string jwks, TimeProvider? timeProvider = null)
    {
        Throw.IfNull(jwks);
        if (jwks.Length > MaxJwksLength)
        {
            throw new ArgumentException(Error.InvalidJwks, nameof(jwks));
        }

        byte[] utf8 = Encoding.UTF8.GetBytes(jwks);
        if (!StrictJson.IsObjectWithUniqueMembers(utf8))
        {
            throw new ArgumentException(Error.InvalidJwks, nameof(jwks));
        }

        using JsonDocument document = JsonDocument.Parse(utf8);
        if (!document.RootElement.TryGetProperty("keys", out JsonElement keys) || keys.ValueKind != JsonValueKind.Array || keys.GetArrayLength() > MaxJwksKeys)
        {
            throw new ArgumentException(Error.InvalidJwks, nameof(jwks));
        }

        SigningKeyRing ring = new(timeProvider);
        foreach (JsonElement jwk in keys.EnumerateArray())
        {
            string? refusal = null;
            if (!SigningKey.TryImport(jwk, SigningKeyExportPolicies.None, out SigningKey? key))
            {
                refusal = Error.InvalidJwks;
            }
            else if (key.HasPrivateKey)
            {
                refusal = Error.JwksHoldsPrivateKey;
            }
            else if (ring.TryGetKey(key.KeyIdUtf8, out SigningKey? listed) && !ReferenceEquals(listed.Algorithm, key.Algorithm))
            {
                refusal = Error.JwksKeyUnderTwoAlgorithms;
            }

            if (refusal is not null)
            {
                key?.Dispose();
                foreach (Entry entry in ring._state.Entries)
                {
                    entry.Key.Dispose();
                }

                throw new ArgumentException(refusal, nameof(jwks));
            }

            if (!ring.TryAdd(key!, active: false))
            {
                key!.Dispose();
            }
        }

        return ring;
    }

    /// <summary>Makes <paramref name="newActiveKey"/> the signing key; the previous active key is kept for verification for <see cref="RetiredKeyRetention"/>.</summary>
    /// <param name="newActiveKey">A key that holds a private part; it may already be in the ring as a verification key.</param>
    /// <exception cref="ArgumentNullException"><paramref name="newActiveKey"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="newActiveKey"/> cannot sign.</exception>
    public void Rotate(SigningKey newActiveKey)
    {
        Throw.IfNull(newActiveKey);
        if (!newActiveKey.HasPrivateKey)
        {
            throw new ArgumentException(Error.KeyHasNoPrivatePart, nameof(newActiveKey));
        }

        lock (_gate)
        {
            DateTimeOffset now = _time.GetUtcNow();
            List<Entry> entries = [new Entry(newActiveKey, null)];
            foreach (Entry entry in _state.Entries)
            {
                if (ReferenceEquals(entry.Key, newActiveKey) || entry.Key.KeyId == newActiveKey.KeyId)
                {
                    continue;
                }

                entries.Add(ReferenceEquals(entry.Key, _state.Active) ? new Entry(entry.Key, now + _retention) : entry);
            }

            _state = new State(newActiveKey, [.. entries]);
        }
    }

    /// <summary>Adds a key that verifies tokens but does not sign (for example another instance's new key, published ahead of its rotation).</summary>
    /// <param name="key">The key; public or private.</param>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A key with the same id is in the ring already.</exception>
    public void AddVerificationKey(SigningKey key)
    {
        Throw.IfNull(key);
        if (!TryAdd(key, active: false))
        {
            throw new ArgumentException(Error.DuplicateKeyId, nameof(key));
        }
    }

    /// <summary>Removes a key at once (for example a compromised one). Tokens it signed stop validating, and cached verifications by it are dropped.</summary>
    /// <param name="keyId">The key id.</param>
    /// <returns><see langword="true"/> when a key was removed; if it was the active key, the ring has no active key until the next <see cref="Rotate"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="keyId"/> is <see langword="null"/>.</exception>
    public bool Remove(string keyId)
    {
        Throw.IfNull(keyId);
        lock (_gate)
        {
            State state = _state;
            int index = Array.FindIndex(state.Entries, e => e.Key.KeyId == keyId);
            if (index < 0)
            {
                return false;
            }

            SigningKey removed = state.Entries[index].Key;
            Entry[] entries = [.. state.Entries[..index], .. state.Entries[(index + 1)..]];
            _state = new State(ReferenceEquals(removed, state.Active) ? null : state.Active, entries);
            Interlocked.Increment(ref _generation);
            return true;
        }
    }

    /// <summary>Drops retired keys whose retention has passed.</summary>
    /// <returns>The keys dropped, for the caller to dispose.</returns>
    public IReadOnlyList<SigningKey> RemoveExpired()
    {
        lock (_gate)
        {
            DateTimeOffset now = _time.GetUtcNow();
            List<Entry> kept = [];
            List<SigningKey> removed = [];
            foreach (Entry entry in _state.Entries)
            {
                if (entry.IsUsableAt(now))
                {
                    kept.Add(entry);
                }
                else
                {
                    removed.Add(entry.Key);
                }
            }

            if (removed.Count > 0)
            {
                _state = new State(_state.Active, [.. kept]);
                Interlocked.Increment(ref _generation);
            }

            return removed;
        }
    }

    /// <summary>Finds a key usable for verification now.</summary>
    /// <param name="keyId">The key id.</param>
    /// <param name="key">The key when found.</param>
    /// <returns><see langword="true"/> when the ring holds a usable key with that id.</returns>
    public bool TryGetKey(ReadOnlySpan<char> keyId, [NotNullWhen(true)] out SigningKey? key)
    {
        Span<byte> utf8 = stackalloc byte[64];
        if (keyId.Length > utf8.Length || Encoding.UTF8.GetByteCount(keyId) > utf8.Length)
        {
            key = null;
            return false;
        }

        int length = Encoding.UTF8.GetBytes(keyId, utf8);
        return TryGetKey(utf8[..length], out key);
    }

    /// <summary>Writes the JWKS (public parts of the usable keys) to <paramref name="writer"/>.</summary>
    /// <param name="writer">The writer.</param>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is <see langword="null"/>.</exception>
    public void WriteJwks(Utf8JsonWriter writer)
    {
        Throw.IfNull(writer);
        writer.WriteStartObject();
        writer.WriteStartArray("keys"u8);
        foreach (SigningKey key in Keys)
        {
            key.WritePublicJwk(writer);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>Returns the JWKS (public parts only) to publish, for example at <c>/.well-known/jwks.json</c>.</summary>
    /// <returns>The JWKS JSON.</returns>
    public string ExportJwks()
    {
        ArrayBufferWriter<byte> buffer = new(1024);
        using (Utf8JsonWriter writer = new(buffer))
        {
            WriteJwks(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    internal bool TryGetKey(ReadOnlySpan<byte> keyIdUtf8, [NotNullWhen(true)] out SigningKey? key)
    {
        Entry[] entries = _state.Entries;
        DateTimeOffset? now = null;
        foreach (Entry entry in entries)
        {
            if (entry.Key.KeyIdUtf8.SequenceEqual(keyIdUtf8))
            {
                if (entry.RetainUntil is null || entry.IsUsableAt(now ??= _time.GetUtcNow()))
                {
                    key = entry.Key;
                    return true;
                }

                break;
            }
        }

        key = null;
        return false;
    }

    /// <summary>
    /// Finds the usable key whose own access-token header is byte for byte <paramref name="encodedHeader"/>:
    /// a header this library wrote, so the validator can skip parsing it.
    /// </summary>
    internal bool TryGetKeyByEncodedHeader(ReadOnlySpan<byte> encodedHeader, [NotNullWhen(true)] out SigningKey? key)
    {
        foreach (Entry entry in _state.Entries)
        {
            if (!entry.Key.IsDisposed && entry.Key.EncodedAccessTokenHeader.SequenceEqual(encodedHeader))
            {
                if (entry.RetainUntil is null || entry.IsUsableAt(_time.GetUtcNow()))
                {
                    key = entry.Key;
                    return true;
                }

                break;
            }
        }

        key = null;
        return false;
    }

    private bool TryAdd(SigningKey key, bool active)
    {
        lock (_gate)
        {
            State state = _state;
            foreach (Entry entry in state.Entries)
            {
                if (entry.Key.KeyId == key.KeyId)
                {
                    return false;
                }
            }

            _state = new State(active ? key : state.Active, [.. state.Entries, new Entry(key, null)]);
            return true;
        }
    }

    private sealed record Entry(SigningKey Key, DateTimeOffset? RetainUntil)
    {
        public bool IsUsableAt(DateTimeOffset now) => RetainUntil is not DateTimeOffset until || now < until;
    }

    private sealed record State(SigningKey? Active, Entry[] Entries)
    {
        public static readonly State Empty = new(null, []);
    }
}
