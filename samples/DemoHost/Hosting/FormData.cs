using System;
using System.Collections.Generic;
using System.Net;
using System.Text;

namespace SessionCore.Samples.DemoHost.Hosting;

/// <summary>
/// An <c>application/x-www-form-urlencoded</c> body. Parsing never throws: a body that breaks the rules
/// (a repeated name, too many fields, bytes that are not UTF-8) is simply not a form.
/// </summary>
internal sealed class FormData
{
    public const int MaxFields = 32;

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly Dictionary<string, string> _fields;

    private FormData(Dictionary<string, string> fields) => _fields = fields;

    public static FormData Empty { get; } = new(new Dictionary<string, string>(StringComparer.Ordinal));

    public int Count => _fields.Count;

    public string? this[string name] => _fields.TryGetValue(name, out string? value) ? value : null;

    public bool Contains(string name) => _fields.ContainsKey(name);

    public static FormData? TryParse(ReadOnlySpan<byte> body)
    {
        string text;
        try
        {
            text = s_strictUtf8.GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }

        Dictionary<string, string> fields = new(StringComparer.Ordinal);
        foreach (string pair in text.Split('&'))
        {
            if (pair.Length == 0)
            {
                continue;
            }

            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            string name = WebUtility.UrlDecode(equals < 0 ? pair : pair[..equals]);
            string value = equals < 0 ? string.Empty : WebUtility.UrlDecode(pair[(equals + 1)..]);

            // RFC 6749 §3.1/§3.2: parameters must not repeat; a repeated name is ambiguous, so it is refused.
            if (name.Length == 0 || fields.Count >= MaxFields || !fields.TryAdd(name, value))
            {
                return null;
            }
        }

        return new FormData(fields);
    }
}
