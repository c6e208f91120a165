using System;
using System.Text;
using System.Threading;
using StackExchange.Redis;

namespace SessionCore.Stores.Redis.Internal;

/// <summary>
/// The invalidation channels. A single server has one, <c>Pinv</c> (PUBLISH). In Cluster a script may only publish on a
/// sharded channel of its own slot (SPUBLISH), so there is one channel per slot, <c>Pinv{TAG}</c>, where TAG is the
/// shortest lower-case alphanumeric string that hashes to that slot; a script publishes on the channel of its first key's
/// slot (the user's slot) and every node subscribes to all 16,384.
/// </summary>
internal static class RedisChannels
{
    public const int SlotCount = 16384;

    private const string Alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
    private static string[]? s_tags;

    public static string Single(string prefix) => prefix + "inv";

    public static string ForSlot(string prefix, int slot) => prefix + "inv{" + Tags[slot] + "}";

    public static string ForKey(string prefix, RedisKey key) => ForSlot(prefix, HashSlot(Encoding.UTF8.GetBytes((string)key!)));

    /// <summary>The Redis Cluster slot of a key: CRC16 (XMODEM) of its hash tag (or of the whole key) modulo 16,384.</summary>
    public static int HashSlot(ReadOnlySpan<byte> key)
    {
        int open = key.IndexOf((byte)'{');
        if (open >= 0)
        {
            int close = key[(open + 1)..].IndexOf((byte)'}');
            if (close > 0)
            {
                key = key.Slice(open + 1, close);
            }
        }

        return Crc16(key) & (SlotCount - 1);
    }

    private static string[] Tags => Volatile.Read(ref s_tags) ?? Interlocked.CompareExchange(ref s_tags, BuildTags(), null) ?? s_tags!;

    private static int Crc16(ReadOnlySpan<byte> data)
    {
        int crc = 0;
        foreach (byte b in data)
        {
            crc ^= b << 8;
            for (int i = 0; i < 8; i++)
            {
                crc = (crc & 0x8000) != 0 ? ((crc << 1) ^ 0x1021) & 0xFFFF : (crc << 1) & 0xFFFF;
            }
        }

        return crc;
    }

    private static string[] BuildTags()
    {
        string[] tags = new string[SlotCount];
        int filled = 0;
        Span<byte> candidate = stackalloc byte[4];
        for (int length = 1; length <= 4 && filled < SlotCount; length++)
        {
            int combinations = 1;
            for (int i = 0; i < length; i++)
            {
                combinations *= Alphabet.Length;
            }

            for (int n = 0; n < combinations && filled < SlotCount; n++)
            {
                int rest = n;
                for (int i = length - 1; i >= 0; i--)
                {
                    candidate[i] = (byte)Alphabet[rest % Alphabet.Length];
                    rest /= Alphabet.Length;
                }

                int slot = Crc16(candidate[..length]) & (SlotCount - 1);
                if (tags[slot] is null)
                {
                    tags[slot] = Encoding.ASCII.GetString(candidate[..length]);
                    filled++;
                }
            }
        }

        return filled == SlotCount ? tags : throw new InvalidOperationException("Not every cluster slot has a channel tag.");
    }
}
