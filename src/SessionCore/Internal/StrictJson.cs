using System;
using System.Buffers;
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
    public static bool IsObjectWithUniqueMembers(ReadOnlySpan<byte> json)
    {
        if (json.IsEmpty)
        {
            return false;
        }

        // Unescaped names are never longer than their escaped text, so one arena of the input's size
        // holds every name of every open object; the index records (offset, length) pairs. Small
        // documents (every access token) stay on the stack.
        byte[]? rentedArena = null;
        int[]? rentedIndex = null;
        // A member takes at least four bytes (""+:+value), so fewer than length / 4 names are ever open; halve for margin.
        int maxNames = (json.Length / 2) + 2;
        Span<byte> arena = json.Length <= StackLimit ? stackalloc byte[json.Length] : (rentedArena = ArrayPool<byte>.Shared.Rent(json.Length));
        Span<int> index = json.Length <= StackLimit ? stackalloc int[2 * maxNames] : (rentedIndex = ArrayPool<int>.Shared.Rent(2 * maxNames));
        Span<int> frames = stackalloc int[MaxDepth + 2];
        try
        {
            return Check(json, arena, index, frames);
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

            if (rentedIndex is not null)
            {
                ArrayPool<int>.Shared.Return(rentedIndex);
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

    private static bool Check(ReadOnlySpan<byte> json, Span<byte> arena, Span<int> index, Span<int> frames)
    {
        Utf8JsonReader reader = new(json, isFinalBlock: true, new JsonReaderState(s_options));
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        int depth = 0;
        int names = 0;
        int arenaUsed = 0;
        do
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.StartObject:
                    depth++;
                    frames[depth] = names;
                    break;
                case JsonTokenType.EndObject:
                    names = frames[depth];
                    arenaUsed = names == 0 ? 0 : index[(2 * names) - 2] + index[(2 * names) - 1];
                    depth--;
                    break;
                case JsonTokenType.PropertyName:
                    int length = reader.CopyString(arena[arenaUsed..]);
                    ReadOnlySpan<byte> name = arena.Slice(arenaUsed, length);
                    if (!Utf8.IsValid(name))
                    {
                        return false;
                    }

                    for (int i = frames[depth]; i < names; i++)
                    {
                        if (name.SequenceEqual(arena.Slice(index[2 * i], index[(2 * i) + 1])))
                        {
                            return false;
                        }
                    }

                    index[2 * names] = arenaUsed;
                    index[(2 * names) + 1] = length;
                    names++;
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
