using System;
using System.Buffers;
using System.Numerics;
using System.Text.Json;
using System.Text.Unicode;

namespace SessionCore.Internal;

/// <summary>
/// A strict pre-check for JSON from untrusted sources (JOSE headers, claims, JWKs). System.Text.Json
/// keeps the last of duplicate members by default, so two parsers can disagree on what a token says;
/// this pass refuses duplicates at any depth (comparing unescaped names), a top level that is not an
/// object, trailing content, deep nesting and invalid UTF-8. It never throws.
/// </summary>
internal static class StrictJson
{
    public const int MaxDepth = 16;

    private const int StackLimit = 512;

    private static readonly JsonReaderOptions s_options = new()
    {
        MaxDepth = MaxDepth,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
    };

    public static JsonReaderOptions ReaderOptions => s_options;

    /// <summary>True when <paramref name="json"/> is one JSON object with unique member names at every depth.</summary>
    /// <remarks>
    /// Linear in the input: each name is looked up once in an open-addressing table keyed by (object, name) with the
    /// process's randomised <see cref="HashCode"/>, so a document of many distinct names costs no more per name than a
    /// small one, and colliding names cannot be chosen from outside.
    /// </remarks>
    public static bool IsObjectWithUniqueMembers(ReadOnlySpan<byte> json)
    {
        if (json.IsEmpty)
        {
            return false;
        }

        // Unescaped names are never longer than their escaped text, so one arena of the input's size holds every
        // name; a member takes at least four bytes (""+:+value) and a separator, so there are fewer than length / 4
        // names. The table has at least twice as many slots as names. Small documents (every access token) stay on
        // the stack.
        int maxNames = (json.Length / 4) + 2;
        int slots = (int)BitOperations.RoundUpToPowerOf2((uint)(2 * maxNames));
        bool small = json.Length <= StackLimit;
        byte[]? rentedArena = null;
        int[]? rentedNames = null;
        int[]? rentedTable = null;
        Span<byte> arena = small ? stackalloc byte[json.Length] : (rentedArena = ArrayPool<byte>.Shared.Rent(json.Length));
        Span<int> names = small ? stackalloc int[3 * maxNames] : (rentedNames = ArrayPool<int>.Shared.Rent(3 * maxNames));
        Span<int> table = small ? stackalloc int[slots] : (rentedTable = ArrayPool<int>.Shared.Rent(slots));
        Span<int> frames = stackalloc int[MaxDepth + 2];
        try
        {
            table[..slots].Clear();
            return Check(json, arena, names, table[..slots], frames);
        }
#pragma warning disable CA1031 // Untrusted input: any parser complaint is a plain "no".
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or ArgumentException or IndexOutOfRangeException)
#pragma warning restore CA1031
        {
            return false;
        }
        finally
        {
            if (rentedArena is not null)
            {
                ArrayPool<byte>.Shared.Return(rentedArena);
            }

            if (rentedNames is not null)
            {
                ArrayPool<int>.Shared.Return(rentedNames);
            }

            if (rentedTable is not null)
            {
                ArrayPool<int>.Shared.Return(rentedTable);
            }
        }
    }

    /// <summary>
    /// Copies the unescaped value of the current string token into <paramref name="destination"/>; false (never an
    /// exception) when it does not fit. The escaped text is at most six times the unescaped length, so longer input
    /// is refused before any copying.
    /// </summary>
    public static bool TryCopyString(scoped ref Utf8JsonReader reader, scoped Span<byte> destination, out int length)
    {
        length = 0;
        if (reader.TokenType != JsonTokenType.String || reader.ValueSpan.Length > destination.Length * 6)
        {
            return false;
        }

        if (!reader.ValueIsEscaped)
        {
            if (reader.ValueSpan.Length > destination.Length)
            {
                return false;
            }

            reader.ValueSpan.CopyTo(destination);
            length = reader.ValueSpan.Length;
            return true;
        }

        try
        {
            length = reader.CopyString(destination);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    // names holds (arena offset, length, object number) per name; table holds name number + 1 per used slot.
    private static bool Check(ReadOnlySpan<byte> json, Span<byte> arena, Span<int> names, Span<int> table, Span<int> frames)
    {
        Utf8JsonReader reader = new(json, isFinalBlock: true, new JsonReaderState(s_options));
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        int depth = 0;
        int count = 0;
        int objects = 0;
        int arenaUsed = 0;
        int mask = table.Length - 1;
        do
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    depth++;
                    frames[depth] = ++objects;
                    break;
                case JsonTokenType.EndObject:
                    depth--;
                    break;
                case JsonTokenType.PropertyName:
                    int length = reader.CopyString(arena[arenaUsed..]);
                    ReadOnlySpan<byte> name = arena.Slice(arenaUsed, length);
                    if (!Utf8.IsValid(name))
                    {
                        return false;
                    }

                    int owner = frames[depth];
                    HashCode hash = default;
                    hash.Add(owner);
                    hash.AddBytes(name);
                    int slot = hash.ToHashCode() & mask;
                    while (table[slot] != 0)
                    {
                        int other = 3 * (table[slot] - 1);
                        if (names[other + 2] == owner && name.SequenceEqual(arena.Slice(names[other], names[other + 1])))
                        {
                            return false;
                        }

                        slot = (slot + 1) & mask;
                    }

                    names[3 * count] = arenaUsed;
                    names[(3 * count) + 1] = length;
                    names[(3 * count) + 2] = owner;
                    table[slot] = ++count;
                    arenaUsed += length;
                    break;
                case JsonTokenType.String:
                    if (!IsValidString(ref reader, arena[arenaUsed..]))
                    {
                        return false;
                    }

                    break;
                default:
                    break;
            }
        }
        while (reader.Read());

        // The reader itself throws on a second top-level value or trailing garbage.
        return depth == 0;
    }

    private static bool IsValidString(scoped ref Utf8JsonReader reader, scoped Span<byte> scratch)
    {
        if (!reader.ValueIsEscaped)
        {
            return Utf8.IsValid(reader.ValueSpan);
        }

        int length = reader.CopyString(scratch);
        return Utf8.IsValid(scratch[..length]);
    }
}
