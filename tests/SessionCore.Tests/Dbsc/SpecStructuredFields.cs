using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace SessionCore.Tests.Dbsc;

/// <summary>An RFC 9651 token, kept apart from a string.</summary>
internal sealed record SpecToken(string Value);

/// <summary>A bare item: string, <see cref="SpecToken"/>, long, decimal, bool or byte[].</summary>
internal sealed record SpecItem(object Value, IReadOnlyList<KeyValuePair<string, object>> Parameters)
{
    public object? Parameter(string key) => Parameters.LastOrDefault(p => p.Key == key).Value;
}

/// <summary>A list member: an item, or an inner list of items with parameters.</summary>
internal sealed record SpecMember(SpecItem? Item, IReadOnlyList<SpecItem>? InnerList, IReadOnlyList<KeyValuePair<string, object>> Parameters)
{
    public static SpecMember Of(SpecItem item) => new(item, null, item.Parameters);

    public object? Parameter(string key) => Parameters.LastOrDefault(p => p.Key == key).Value;
}

/// <summary>
/// A second, independent reading of RFC 9651 (Structured Field Values for HTTP), written for the test
/// client straight from the RFC's §4.1 serialisation and §4.2 parsing algorithms. It shares no code with
/// the library, so the two cross-check each other. Failure is <see langword="null"/>.
/// </summary>
internal sealed class SpecStructuredFields
{
    private readonly string _s;
    private int _i;

    private SpecStructuredFields(string s) => _s = s;

    private bool Done => _i >= _s.Length;

    private char Cur => _s[_i];

    /// <summary>§4.2 with type "list".</summary>
    public static List<SpecMember>? ParseList(string input)
    {
        if (input.Any(c => c > 0x7F))
        {
            return null;
        }

        SpecStructuredFields p = new(input);
        p.SkipSp();
        List<SpecMember> members = [];
        while (!p.Done)
        {
            SpecMember? m = p.Cur == '(' ? p.InnerList() : p.ItemMember();
            if (m is null)
            {
                return null;
            }

            members.Add(m);
            p.SkipOws();
            if (p.Done)
            {
                return members;
            }

            if (p.Cur != ',')
            {
                return null;
            }

            p._i++;
            p.SkipOws();
            if (p.Done)
            {
                return null;
            }
        }

        return members;
    }

    /// <summary>§4.2 with type "item".</summary>
    public static SpecItem? ParseItem(string input)
    {
        if (input.Any(c => c > 0x7F))
        {
            return null;
        }

        SpecStructuredFields p = new(input);
        p.SkipSp();
        SpecMember? m = p.ItemMember();
        p.SkipSp();
        return m is not null && p.Done ? m.Item : null;
    }

    /// <summary>§4.1.1 serialising a list.</summary>
    public static string SerializeList(IEnumerable<SpecMember> members) => string.Join(", ", members.Select(SerializeMember));

    public static string SerializeMember(SpecMember member)
    {
        if (member.InnerList is null)
        {
            return SerializeItem(member.Item!);
        }

        return "(" + string.Join(" ", member.InnerList.Select(SerializeItem)) + ")" + SerializeParameters(member.Parameters);
    }

    public static string SerializeItem(SpecItem item) => SerializeBare(item.Value) + SerializeParameters(item.Parameters);

    public static string SerializeBare(object value) => value switch
    {
        string s => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"",
        SpecToken t => t.Value,
        long n => n.ToString(CultureInfo.InvariantCulture),
        decimal d => d.ToString("0.0##", CultureInfo.InvariantCulture),
        bool b => b ? "?1" : "?0",
        byte[] bytes => ":" + Convert.ToBase64String(bytes) + ":",
        _ => throw new ArgumentException("not a bare item", nameof(value)),
    };

    private static string SerializeParameters(IReadOnlyList<KeyValuePair<string, object>> parameters)
    {
        StringBuilder b = new();
        foreach ((string key, object value) in parameters)
        {
            b.Append(';').Append(key);
            if (value is not true)
            {
                b.Append('=').Append(SerializeBare(value));
            }
        }

        return b.ToString();
    }

    private void SkipSp()
    {
        while (!Done && Cur == ' ')
        {
            _i++;
        }
    }

    private void SkipOws()
    {
        while (!Done && (Cur == ' ' || Cur == '\t'))
        {
            _i++;
        }
    }

    private SpecMember? ItemMember()
    {
        object? bare = Bare();
        if (bare is null)
        {
            return null;
        }

        List<KeyValuePair<string, object>>? ps = Params();
        return ps is null ? null : SpecMember.Of(new SpecItem(bare, ps));
    }

    // §4.2.1.2: "(" *SP [ item *( 1*SP item ) *SP ] ")" parameters
    private SpecMember? InnerList()
    {
        _i++;
        List<SpecItem> items = [];
        while (!Done)
        {
            SkipSp();
            if (Done)
            {
                return null;
            }

            if (Cur == ')')
            {
                _i++;
                List<KeyValuePair<string, object>>? ps = Params();
                return ps is null ? null : new SpecMember(null, items, ps);
            }

            SpecMember? m = ItemMember();
            if (m is null)
            {
                return null;
            }

            items.Add(m.Item!);
            if (Done || (Cur != ' ' && Cur != ')'))
            {
                return null;
            }
        }

        return null;
    }

    private List<KeyValuePair<string, object>>? Params()
    {
        List<KeyValuePair<string, object>> ps = [];
        while (!Done && Cur == ';')
        {
            _i++;
            SkipSp();
            int start = _i;
            if (Done || !(Cur is >= 'a' and <= 'z' || Cur == '*'))
            {
                return null;
            }

            while (!Done && (Cur is >= 'a' and <= 'z' or >= '0' and <= '9' || "_-.*".Contains(Cur, StringComparison.Ordinal)))
            {
                _i++;
            }

            string key = _s[start.._i];
            object value = true;
            if (!Done && Cur == '=')
            {
                _i++;
                object? v = Bare();
                if (v is null)
                {
                    return null;
                }

                value = v;
            }

            int at = ps.FindIndex(p => p.Key == key);
            if (at >= 0)
            {
                ps[at] = new(key, value);
            }
            else
            {
                ps.Add(new(key, value));
            }
        }

        return ps;
    }

    private object? Bare()
    {
        if (Done)
        {
            return null;
        }

        char c = Cur;
        if (c == '-' || char.IsAsciiDigit(c))
        {
            return Number();
        }

        if (c == '"')
        {
            _i++;
            StringBuilder b = new();
            while (!Done)
            {
                char x = _s[_i++];
                if (x == '\\')
                {
                    if (Done || (Cur != '\\' && Cur != '"'))
                    {
                        return null;
                    }

                    b.Append(_s[_i++]);
                }
                else if (x == '"')
                {
                    return b.ToString();
                }
                else if (x < ' ' || x > '~')
                {
                    return null;
                }
                else
                {
                    b.Append(x);
                }
            }

            return null;
        }

        if (char.IsAsciiLetter(c) || c == '*')
        {
            int start = _i;
            while (!Done && (char.IsAsciiLetterOrDigit(Cur) || "!#$%&'*+-.^_`|~:/".Contains(Cur, StringComparison.Ordinal)))
            {
                _i++;
            }

            return new SpecToken(_s[start.._i]);
        }

        if (c == ':')
        {
            int end = _s.IndexOf(':', _i + 1);
            if (end < 0)
            {
                return null;
            }

            string b64 = _s[(_i + 1)..end];
            _i = end + 1;
            if (b64.Any(x => !(char.IsAsciiLetterOrDigit(x) || x is '+' or '/' or '=')))
            {
                return null;
            }

            try
            {
                return Convert.FromBase64String(b64.PadRight(b64.Length + ((4 - (b64.Length % 4)) % 4), '='));
            }
            catch (FormatException)
            {
                return null;
            }
        }

        if (c == '?')
        {
            _i++;
            if (Done || (Cur != '0' && Cur != '1'))
            {
                return null;
            }

            return _s[_i++] == '1';
        }

        return null;
    }

    // §4.2.4
    private object? Number()
    {
        int sign = 1;
        if (Cur == '-')
        {
            sign = -1;
            _i++;
        }

        if (Done || !char.IsAsciiDigit(Cur))
        {
            return null;
        }

        StringBuilder n = new();
        bool isDecimal = false;
        while (!Done)
        {
            char x = Cur;
            if (char.IsAsciiDigit(x))
            {
                n.Append(x);
            }
            else if (!isDecimal && x == '.')
            {
                if (n.Length > 12)
                {
                    return null;
                }

                n.Append(x);
                isDecimal = true;
            }
            else
            {
                break;
            }

            _i++;
            if ((!isDecimal && n.Length > 15) || (isDecimal && n.Length > 16))
            {
                return null;
            }
        }

        string text = n.ToString();
        if (!isDecimal)
        {
            return sign * long.Parse(text, CultureInfo.InvariantCulture);
        }

        if (text.EndsWith('.') || text.Length - text.IndexOf('.', StringComparison.Ordinal) - 1 > 3)
        {
            return null;
        }

        return sign * decimal.Parse(text, CultureInfo.InvariantCulture);
    }
}
