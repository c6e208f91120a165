using System;
using System.Collections.Generic;
using System.Text;

namespace SessionCore.Http;

/// <summary>The type of an RFC 9651 bare item (§3.3).</summary>
internal enum SfKind
{
    Integer,
    Decimal,
    String,
    Token,
    ByteSequence,
    Boolean,
    Date,
    DisplayString,
}

/// <summary>Why a structured field could not be read.</summary>
internal enum SfStatus
{
    Ok,
    Malformed,

    /// <summary>An Item field followed by a second list member: the header was sent twice.</summary>
    Ambiguous,
    TooLarge,
}

/// <summary>
/// A bare item. <see cref="Text"/> holds the value of strings, tokens and display strings, the
/// base64 text of byte sequences and the text of decimals; <see cref="Number"/> the value of integers
/// and dates; <see cref="Flag"/> the value of booleans.
/// </summary>
internal readonly record struct SfBareItem(SfKind Kind, string? Text, long Number, bool Flag);

internal readonly record struct SfParameter(string Key, SfBareItem Value);

/// <summary>An item with its parameters, or (when <see cref="InnerList"/> is set) an inner list with its parameters.</summary>
internal sealed class SfMember
{
    public SfMember(SfBareItem item, IReadOnlyList<SfParameter> parameters)
    {
        Item = item;
        Parameters = parameters;
    }

    public SfMember(IReadOnlyList<SfMember> innerList, IReadOnlyList<SfParameter> parameters)
    {
        InnerList = innerList;
        Parameters = parameters;
    }

    public SfBareItem Item { get; }

    public IReadOnlyList<SfMember>? InnerList { get; }

    public IReadOnlyList<SfParameter> Parameters { get; }

    public bool TryGetParameter(string key, out SfBareItem value)
    {
        foreach (SfParameter parameter in Parameters)
        {
            if (parameter.Key == key)
            {
                value = parameter.Value;
                return true;
            }
        }

        value = default;
        return false;
    }
}

/// <summary>
/// A strict parser for RFC 9651 Item and List fields (§4.2, Dictionaries are not needed), following the
/// parsing algorithms step by step. Every step consumes input, so the cost is linear in the length;
/// the input, the members, the inner-list items and the parameters per item are bounded. Anything
/// outside the grammar fails; nothing throws.
/// </summary>
internal static class StructuredFieldReader
{
    /// <summary>The longest field value read (8 KiB, the size of a browser-sent header line).</summary>
    public const int MaxLength = 8192;

    public const int MaxMembers = 64;

    public const int MaxInnerListItems = 64;

    public const int MaxParameters = 32;

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Parses an Item field (§4.2 with field_type "item").</summary>
    public static SfStatus ParseItem(string value, out SfMember? item)
    {
        item = null;
        if (value.Length > MaxLength)
        {
            return SfStatus.TooLarge;
        }

        Cursor cursor = new(value);
        cursor.SkipSp();
        SfStatus status = ParseItemMember(ref cursor, out SfMember? parsed);
        if (status != SfStatus.Ok)
        {
            return status;
        }

        cursor.SkipSp();
        if (!cursor.AtEnd)
        {
            // A comma here means a second member, which is what two header lines joined by the
            // framework look like: report it as its own outcome rather than as junk.
            return cursor.Peek == ',' ? SfStatus.Ambiguous : SfStatus.Malformed;
        }

        item = parsed;
        return SfStatus.Ok;
    }

    /// <summary>Parses a List field (§4.2 with field_type "list", §4.2.1).</summary>
    public static SfStatus ParseList(string value, out IReadOnlyList<SfMember>? members)
    {
        members = null;
        if (value.Length > MaxLength)
        {
            return SfStatus.TooLarge;
        }

        Cursor cursor = new(value);
        cursor.SkipSp();
        List<SfMember> list = [];
        while (!cursor.AtEnd)
        {
            if (list.Count == MaxMembers)
            {
                return SfStatus.TooLarge;
            }

            SfStatus status = cursor.Peek == '('
                ? ParseInnerList(ref cursor, out SfMember? member)
                : ParseItemMember(ref cursor, out member);
            if (status != SfStatus.Ok)
            {
                return status;
            }

            list.Add(member!);
            cursor.SkipOws();
            if (cursor.AtEnd)
            {
                break;
            }

            if (cursor.Next() != ',')
            {
                return SfStatus.Malformed;
            }

            cursor.SkipOws();
            if (cursor.AtEnd)
            {
                // A trailing comma.
                return SfStatus.Malformed;
            }
        }

        members = list;
        return SfStatus.Ok;
    }

    private static SfStatus ParseItemMember(ref Cursor cursor, out SfMember? member)
    {
        member = null;
        if (!TryParseBareItem(ref cursor, out SfBareItem bare))
        {
            return SfStatus.Malformed;
        }

        SfStatus status = ParseParameters(ref cursor, out IReadOnlyList<SfParameter>? parameters);
        if (status != SfStatus.Ok)
        {
            return status;
        }

        member = new SfMember(bare, parameters!);
        return SfStatus.Ok;
    }

    // §4.2.1.2
    private static SfStatus ParseInnerList(ref Cursor cursor, out SfMember? member)
    {
        member = null;
        cursor.Next();
        List<SfMember> items = [];
        while (!cursor.AtEnd)
        {
            cursor.SkipSp();
            if (cursor.AtEnd)
            {
                break;
            }

            if (cursor.Peek == ')')
            {
                cursor.Next();
                SfStatus parametersStatus = ParseParameters(ref cursor, out IReadOnlyList<SfParameter>? parameters);
                if (parametersStatus != SfStatus.Ok)
                {
                    return parametersStatus;
                }

                member = new SfMember(items, parameters!);
                return SfStatus.Ok;
            }

            if (items.Count == MaxInnerListItems)
            {
                return SfStatus.TooLarge;
            }

            SfStatus status = ParseItemMember(ref cursor, out SfMember? item);
            if (status != SfStatus.Ok)
            {
                return status;
            }

            items.Add(item!);
            if (cursor.AtEnd || (cursor.Peek != ' ' && cursor.Peek != ')'))
            {
                return SfStatus.Malformed;
            }
        }

        // The inner list was not closed.
        return SfStatus.Malformed;
    }

    // §4.2.3.2
    private static SfStatus ParseParameters(ref Cursor cursor, out IReadOnlyList<SfParameter>? parameters)
    {
        parameters = null;
        List<SfParameter> list = [];
        while (!cursor.AtEnd && cursor.Peek == ';')
        {
            cursor.Next();
            cursor.SkipSp();
            if (!TryParseKey(ref cursor, out string? key))
            {
                return SfStatus.Malformed;
            }

            SfBareItem value = new(SfKind.Boolean, null, 0, true);
            if (!cursor.AtEnd && cursor.Peek == '=')
            {
                cursor.Next();
                if (!TryParseBareItem(ref cursor, out value))
                {
                    return SfStatus.Malformed;
                }
            }

            // "If parameters already contains a key param_key, overwrite its value" (the position stays).
            int existing = list.FindIndex(p => p.Key == key);
            if (existing >= 0)
            {
                list[existing] = new SfParameter(key!, value);
            }
            else if (list.Count == MaxParameters)
            {
                return SfStatus.TooLarge;
            }
            else
            {
                list.Add(new SfParameter(key!, value));
            }
        }

        parameters = list;
        return SfStatus.Ok;
    }

    // §4.2.3.3
    private static bool TryParseKey(ref Cursor cursor, out string? key)
    {
        key = null;
        if (cursor.AtEnd || !(cursor.Peek is (>= 'a' and <= 'z') or '*'))
        {
            return false;
        }

        int start = cursor.Position;
        while (!cursor.AtEnd && StructuredFieldWriter.IsKeyChar(cursor.Peek))
        {
            cursor.Next();
        }

        key = cursor.Slice(start);
        return true;
    }

    // §4.2.3.1
    private static bool TryParseBareItem(ref Cursor cursor, out SfBareItem item)
    {
        item = default;
        if (cursor.AtEnd)
        {
            return false;
        }

        char first = cursor.Peek;
        if (first == '-' || char.IsAsciiDigit(first))
        {
            return TryParseNumber(ref cursor, out item);
        }

        switch (first)
        {
            case '"':
                return TryParseString(ref cursor, out item);
            case ':':
                return TryParseByteSequence(ref cursor, out item);
            case '?':
                return TryParseBoolean(ref cursor, out item);
            case '@':
                cursor.Next();
                if (!TryParseNumber(ref cursor, out SfBareItem number) || number.Kind != SfKind.Integer)
                {
                    return false;
                }

                item = new SfBareItem(SfKind.Date, null, number.Number, false);
                return true;
            case '%':
                return TryParseDisplayString(ref cursor, out item);
        }

        if (StructuredFieldWriter.IsAlpha(first) || first == '*')
        {
            int start = cursor.Position;
            cursor.Next();
            while (!cursor.AtEnd && (HttpGrammar.IsTokenChar(cursor.Peek) || cursor.Peek == ':' || cursor.Peek == '/'))
            {
                cursor.Next();
            }

            item = new SfBareItem(SfKind.Token, cursor.Slice(start), 0, false);
            return true;
        }

        return false;
    }

    // §4.2.4
    private static bool TryParseNumber(ref Cursor cursor, out SfBareItem item)
    {
        item = default;
        bool negative = false;
        if (!cursor.AtEnd && cursor.Peek == '-')
        {
            negative = true;
            cursor.Next();
        }

        if (cursor.AtEnd || !char.IsAsciiDigit(cursor.Peek))
        {
            return false;
        }

        int start = cursor.Position;
        int integerDigits = 0;
        int fractionDigits = -1;
        while (!cursor.AtEnd)
        {
            char c = cursor.Peek;
            if (char.IsAsciiDigit(c))
            {
                cursor.Next();
                if (fractionDigits < 0)
                {
                    integerDigits++;
                    if (integerDigits > 15)
                    {
                        return false;
                    }
                }
                else
                {
                    fractionDigits++;
                    if (fractionDigits > 3)
                    {
                        return false;
                    }
                }
            }
            else if (c == '.' && fractionDigits < 0)
            {
                if (integerDigits > 12)
                {
                    return false;
                }

                cursor.Next();
                fractionDigits = 0;
            }
            else
            {
                break;
            }
        }

        string digits = cursor.Slice(start);
        if (fractionDigits < 0)
        {
            long value = long.Parse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture);
            item = new SfBareItem(SfKind.Integer, null, negative ? -value : value, false);
            return true;
        }

        if (fractionDigits == 0)
        {
            // A decimal may not end with '.'.
            return false;
        }

        item = new SfBareItem(SfKind.Decimal, negative ? "-" + digits : digits, 0, false);
        return true;
    }

    // §4.2.5
    private static bool TryParseString(ref Cursor cursor, out SfBareItem item)
    {
        item = default;
        cursor.Next();
        StringBuilder? builder = null;
        int start = cursor.Position;
        while (!cursor.AtEnd)
        {
            char c = cursor.Next();
            if (c == '\\')
            {
                if (cursor.AtEnd || (cursor.Peek != '"' && cursor.Peek != '\\'))
                {
                    return false;
                }

                builder ??= new StringBuilder().Append(cursor.Span(start, cursor.Position - 1));
                builder.Append(cursor.Next());
            }
            else if (c == '"')
            {
                string text = builder is null ? cursor.Span(start, cursor.Position - 1).ToString() : builder.ToString();
                item = new SfBareItem(SfKind.String, text, 0, false);
                return true;
            }
            else if (c < 0x20 || c > 0x7E)
            {
                return false;
            }
            else
            {
                builder?.Append(c);
            }
        }

        // No closing quote.
        return false;
    }

    // §4.2.7
    private static bool TryParseByteSequence(ref Cursor cursor, out SfBareItem item)
    {
        item = default;
        cursor.Next();
        int start = cursor.Position;
        int padding = 0;
        while (!cursor.AtEnd)
        {
            char c = cursor.Next();
            if (c == ':')
            {
                item = new SfBareItem(SfKind.ByteSequence, cursor.Span(start, cursor.Position - 1).ToString(), 0, false);
                return true;
            }

            bool alphabet = StructuredFieldWriter.IsAlpha(c) || char.IsAsciiDigit(c) || c == '+' || c == '/';
            if (c == '=')
            {
                padding++;
            }
            else if (!alphabet || padding > 0)
            {
                // Outside the base64 alphabet, or data after padding.
                return false;
            }
        }

        return false;
    }

    // §4.2.8
    private static bool TryParseBoolean(ref Cursor cursor, out SfBareItem item)
    {
        item = default;
        cursor.Next();
        if (cursor.AtEnd)
        {
            return false;
        }

        char c = cursor.Next();
        if (c is not ('0' or '1'))
        {
            return false;
        }

        item = new SfBareItem(SfKind.Boolean, null, 0, c == '1');
        return true;
    }

    // §4.2.10
    private static bool TryParseDisplayString(ref Cursor cursor, out SfBareItem item)
    {
        item = default;
        cursor.Next();
        if (cursor.AtEnd || cursor.Next() != '"')
        {
            return false;
        }

        List<byte> bytes = [];
        while (!cursor.AtEnd)
        {
            char c = cursor.Next();
            if (c < 0x20 || c > 0x7E)
            {
                return false;
            }

            if (c == '%')
            {
                int high = cursor.AtEnd ? -1 : LowerHex(cursor.Next());
                int low = cursor.AtEnd ? -1 : LowerHex(cursor.Next());
                if (high < 0 || low < 0)
                {
                    return false;
                }

                bytes.Add((byte)((high << 4) | low));
            }
            else if (c == '"')
            {
                try
                {
                    item = new SfBareItem(SfKind.DisplayString, s_strictUtf8.GetString([.. bytes]), 0, false);
                    return true;
                }
                catch (DecoderFallbackException)
                {
                    return false;
                }
            }
            else
            {
                bytes.Add((byte)c);
            }
        }

        return false;
    }

    private static int LowerHex(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        _ => -1,
    };

    /// <summary>A forward-only position in the input; every parser step advances it.</summary>
    private ref struct Cursor
    {
        private readonly string _input;

        public Cursor(string input)
        {
            _input = input;
            Position = 0;
        }

        public int Position { get; private set; }

        public readonly bool AtEnd => Position >= _input.Length;

        public readonly char Peek => _input[Position];

        public char Next() => _input[Position++];

        public void SkipSp()
        {
            while (!AtEnd && _input[Position] == ' ')
            {
                Position++;
            }
        }

        public void SkipOws()
        {
            while (!AtEnd && _input[Position] is ' ' or '\t')
            {
                Position++;
            }
        }

        public readonly string Slice(int start) => _input[start..Position];

        public readonly ReadOnlySpan<char> Span(int start, int end) => _input.AsSpan(start, end - start);
    }
}
