using System;
using System.Collections;
using System.Collections.Generic;
using System.Text;
using SessionCore.Tokens;

namespace SessionCore.Stores.Redis.Internal;

/// <summary>
/// A family's spent token hashes, read from the one field that holds them (43 characters each, oldest first). The bytes
/// are checked in full when the record is read, so an unreadable field fails there; a hash becomes a
/// <see cref="RefreshTokenHash"/> only when it is asked for, because a redemption rarely looks past the current and
/// previous hashes.
/// </summary>
/// <threadsafety>Safe to share: a hash materialized twice by two threads is the same value.</threadsafety>
internal sealed class SpentTokenHashList : IReadOnlyList<RefreshTokenHash>
{
    private const int Length = RefreshTokenHash.Length;
    private readonly byte[] _text;
    private readonly RefreshTokenHash[] _hashes;

    private SpentTokenHashList(byte[] text)
    {
        _text = text;
        _hashes = new RefreshTokenHash[text.Length / Length];
    }

    public int Count => _hashes.Length;

    public RefreshTokenHash this[int index]
    {
        get
        {
            ref RefreshTokenHash hash = ref _hashes[index];
            if (hash.IsEmpty)
            {
                hash = RefreshTokenHash.Parse(Encoding.ASCII.GetString(_text, index * Length, Length));
            }

            return hash;
        }
    }

    /// <summary>Reads the field; empty or missing is no spent hash.</summary>
    /// <exception cref="FormatException">The field does not hold whole, canonical hashes.</exception>
    public static IReadOnlyList<RefreshTokenHash> Read(byte[]? text)
    {
        if (text is null || text.Length == 0)
        {
            return [];
        }

        if (text.Length % Length != 0)
        {
            throw new FormatException();
        }

        for (int i = 0; i < text.Length; i++)
        {
            int value = Value(text[i]);

            // 32 bytes are 43 characters; the last one carries two unused bits that must be zero.
            if (value < 0 || (i % Length == Length - 1 && (value & 0b11) != 0))
            {
                throw new FormatException();
            }
        }

        return new SpentTokenHashList(text);
    }

    public IEnumerator<RefreshTokenHash> GetEnumerator()
    {
        for (int i = 0; i < _hashes.Length; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static int Value(byte c) => c switch
    {
        >= (byte)'A' and <= (byte)'Z' => c - 'A',
        >= (byte)'a' and <= (byte)'z' => c - 'a' + 26,
        >= (byte)'0' and <= (byte)'9' => c - '0' + 52,
        (byte)'-' => 62,
        (byte)'_' => 63,
        _ => -1,
    };
}
