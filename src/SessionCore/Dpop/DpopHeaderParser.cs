using System;
using System.Collections.Generic;
using SessionCore.Http;

namespace SessionCore.Dpop;

/// <summary>
/// Reads the proof from the request's <c>DPoP</c> header fields (RFC 9449 §4.3 check 1: not more than one). Never
/// throws on the header values, whatever they contain.
/// </summary>
/// <remarks>
/// No field, or only empty ones, is <see cref="HeaderValueStatus.NotFound"/> (an unbound client); two non-empty fields,
/// or one holding a comma (fields folded into one line by a proxy or framework), is
/// <see cref="HeaderValueStatus.Ambiguous"/>; a value with characters outside base64url and <c>.</c> is
/// <see cref="HeaderValueStatus.Malformed"/>; a value over <see cref="MaxHeaderLength"/> is
/// <see cref="HeaderValueStatus.TooLarge"/>. Surrounding white space is dropped.
/// </remarks>
/// <threadsafety>Stateless and safe to share.</threadsafety>
public static class DpopHeaderParser
{
    /// <summary>The longest <c>DPoP</c> field read (16 KiB), the largest <see cref="DpopOptions.MaxProofLength"/>.</summary>
    public const int MaxHeaderLength = 16384;

    /// <summary>Reads the proof from all <c>DPoP</c> field values of a request.</summary>
    /// <param name="values">The field values (for example <c>HttpListenerRequest.Headers.GetValues("DPoP")</c>, or ASP.NET Core's <c>StringValues</c>), or <see langword="null"/>.</param>
    /// <returns>The proof, or why there is none.</returns>
    public static HeaderValueResult Parse(IReadOnlyList<string?>? values)
    {
        if (values is null)
        {
            return HeaderValueResult.Failure(HeaderValueStatus.NotFound);
        }

        HeaderValueResult? found = null;
        foreach (string? value in values)
        {
            HeaderValueResult one = Parse(value);
            if (one.Status == HeaderValueStatus.NotFound)
            {
                continue;
            }

            if (found is not null)
            {
                return HeaderValueResult.Failure(HeaderValueStatus.Ambiguous);
            }

            found = one;
        }

        return found ?? HeaderValueResult.Failure(HeaderValueStatus.NotFound);
    }

    /// <summary>Reads the proof from one <c>DPoP</c> field value.</summary>
    /// <param name="value">The value, or <see langword="null"/>.</param>
    /// <returns>The proof, or why there is none.</returns>
    public static HeaderValueResult Parse(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return HeaderValueResult.Failure(HeaderValueStatus.NotFound);
        }

        if (value.Length > MaxHeaderLength)
        {
            return HeaderValueResult.Failure(HeaderValueStatus.TooLarge);
        }

        ReadOnlySpan<char> proof = HttpGrammar.TrimOws(value);
        if (proof.IsEmpty)
        {
            return HeaderValueResult.Failure(HeaderValueStatus.NotFound);
        }

        if (proof.Contains(','))
        {
            return HeaderValueResult.Failure(HeaderValueStatus.Ambiguous);
        }

        foreach (char c in proof)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                return HeaderValueResult.Failure(HeaderValueStatus.Malformed);
            }
        }

        return HeaderValueResult.Found(proof.Length == value.Length ? value : proof.ToString());
    }
}
