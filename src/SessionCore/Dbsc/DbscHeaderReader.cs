using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using SessionCore.Http;

namespace SessionCore.Dbsc;

/// <summary>
/// Reads the DBSC request headers strictly, as RFC 9651 structured fields: <c>Secure-Session-Response</c>
/// (DBSC §9.3), <c>Sec-Secure-Session-Id</c> (§9.4) and <c>Secure-Session-Skipped</c> (§9.5). Never
/// throws on a header value, whatever it contains.
/// </summary>
/// <remarks>
/// <para>Rules:</para>
/// <list type="bullet">
/// <item>An absent or empty header: <see cref="HeaderValueStatus.NotFound"/>.</item>
/// <item>A value longer than <see cref="MaxHeaderLength"/>, or with more list members, inner-list items or
/// parameters than RFC 9651 parsers must support at minimum (64, 64, 32): <see cref="HeaderValueStatus.TooLarge"/>.</item>
/// <item>An Item header (<c>Secure-Session-Response</c>, <c>Sec-Secure-Session-Id</c>) holding two members,
/// which is how a header sent twice arrives: <see cref="HeaderValueStatus.Ambiguous"/>.</item>
/// <item>Anything else outside the grammar, or a value of the wrong type: <see cref="HeaderValueStatus.Malformed"/>.</item>
/// </list>
/// <para>
/// The spec makes the proof and the session identifier sf-strings. Chromium sends both without quotes;
/// a compact JWS and an identifier accepted by <see cref="DbscHeaderWriter.IsSessionIdentifier"/> are then
/// RFC 9651 tokens, so a token is accepted too and yields the same value. Parameters are ignored, as the
/// spec requires, but must be well-formed. Parsing is linear in the length of the value.
/// </para>
/// </remarks>
/// <threadsafety>Stateless and safe to share.</threadsafety>
[Experimental(DbscDiagnostics.ExperimentalId)]
public static class DbscHeaderReader
{
    /// <summary>The longest header value read (8 KiB).</summary>
    public const int MaxHeaderLength = StructuredFieldReader.MaxLength;

    /// <summary>Reads the proof (a compact JWS, not yet verified) from <c>Secure-Session-Response</c>.</summary>
    /// <param name="value">The header value, or <see langword="null"/>.</param>
    /// <returns>The proof text, or why there is none.</returns>
    /// <remarks>Security: the value is untrusted until a proof validator has checked it.</remarks>
    public static HeaderValueResult ReadProof(string? value) => ReadStringItem(value, maxValueLength: MaxHeaderLength, identifier: false);

    /// <summary>Reads the DBSC session identifier from <c>Sec-Secure-Session-Id</c>.</summary>
    /// <param name="value">The header value, or <see langword="null"/>.</param>
    /// <returns>The identifier, or why there is none. A value that <see cref="DbscHeaderWriter.IsSessionIdentifier"/> refuses is <see cref="HeaderValueStatus.Malformed"/>, since no server wrote it.</returns>
    public static HeaderValueResult ReadSessionIdentifier(string? value) => ReadStringItem(value, DbscHeaderWriter.MaxSessionIdentifierLength, identifier: true);

    /// <summary>Reads <c>Secure-Session-Skipped</c>: a list of reason tokens with a <c>session_identifier</c> parameter.</summary>
    /// <param name="value">The header value, or <see langword="null"/>.</param>
    /// <returns>The skipped sessions, or why there are none. A member that is not a token makes the header <see cref="HeaderValueStatus.Malformed"/>.</returns>
    public static DbscSkippedResult ReadSkipped(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return DbscSkippedResult.Failure(HeaderValueStatus.NotFound);
        }

        SfStatus status = StructuredFieldReader.ParseList(value, out IReadOnlyList<SfMember>? members);
        if (status != SfStatus.Ok)
        {
            return DbscSkippedResult.Failure(Map(status));
        }

        if (members!.Count == 0)
        {
            return DbscSkippedResult.Failure(HeaderValueStatus.NotFound);
        }

        List<DbscSkippedSession> sessions = new(members.Count);
        foreach (SfMember member in members)
        {
            if (member.InnerList is not null || member.Item.Kind != SfKind.Token)
            {
                return DbscSkippedResult.Failure(HeaderValueStatus.Malformed);
            }

            DbscSkipReason reason = member.Item.Text switch
            {
                "unreachable" => DbscSkipReason.Unreachable,
                "server_error" => DbscSkipReason.ServerError,
                "quota_exceeded" => DbscSkipReason.QuotaExceeded,
                _ => DbscSkipReason.Other,
            };
            string? identifier = member.TryGetParameter("session_identifier", out SfBareItem parameter)
                && parameter.Kind is SfKind.String or SfKind.Token
                && DbscHeaderWriter.IsSessionIdentifier(parameter.Text)
                ? parameter.Text
                : null;
            sessions.Add(new DbscSkippedSession(reason, identifier));
        }

        return DbscSkippedResult.Found(sessions);
    }

    private static HeaderValueResult ReadStringItem(string? value, int maxValueLength, bool identifier)
    {
        if (string.IsNullOrEmpty(value))
        {
            return HeaderValueResult.Failure(HeaderValueStatus.NotFound);
        }

        SfStatus status = StructuredFieldReader.ParseItem(value, out SfMember? item);
        if (status != SfStatus.Ok)
        {
            return HeaderValueResult.Failure(Map(status));
        }

        SfBareItem bare = item!.Item;
        if (bare.Kind is not (SfKind.String or SfKind.Token) || string.IsNullOrEmpty(bare.Text) || bare.Text.Length > maxValueLength)
        {
            return HeaderValueResult.Failure(HeaderValueStatus.Malformed);
        }

        if (identifier && !DbscHeaderWriter.IsSessionIdentifier(bare.Text))
        {
            return HeaderValueResult.Failure(HeaderValueStatus.Malformed);
        }

        return HeaderValueResult.Found(bare.Text);
    }

    private static HeaderValueStatus Map(SfStatus status) => status switch
    {
        SfStatus.TooLarge => HeaderValueStatus.TooLarge,
        SfStatus.Ambiguous => HeaderValueStatus.Ambiguous,
        _ => HeaderValueStatus.Malformed,
    };
}
