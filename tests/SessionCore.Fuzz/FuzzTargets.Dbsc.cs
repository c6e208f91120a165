using System;
using System.Collections.Generic;
using SessionCore.Dbsc;
using SessionCore.Http;

namespace SessionCore.Fuzz;

public static partial class FuzzTargets
{
    private static IEnumerable<FuzzTarget> DbscTargets() =>
    [
        new("dbsc-headers", "DbscHeaderReader.ReadProof, ReadSessionIdentifier and ReadSkipped (RFC 9651 Item and List fields)", DbscHeaders, Never),
    ];

    private static void DbscHeaders(byte[] input)
    {
        string value = Text(input);
        HeaderValueResult proof = DbscHeaderReader.ReadProof(value);
        CheckItem(proof, value);
        HeaderValueResult id = DbscHeaderReader.ReadSessionIdentifier(value);
        CheckItem(id, value);
        if (id.TryGetValue(out string? identifier))
        {
            InvariantViolationException.Check(DbscHeaderWriter.IsSessionIdentifier(identifier), "a read identifier is one the writer accepts");
            InvariantViolationException.Check(proof.IsSuccess && proof.Value == identifier, "an identifier is also a well-formed Item with the same value");
        }

        DbscSkippedResult skipped = DbscHeaderReader.ReadSkipped(value);
        InvariantViolationException.Check(Enum.IsDefined(skipped.Status), "a defined status");
        if (skipped.TryGetValue(out IReadOnlyList<DbscSkippedSession>? sessions))
        {
            InvariantViolationException.Check(skipped.Status == HeaderValueStatus.Found && sessions.Count is > 0 and <= 64, "between one and 64 members");
            foreach (DbscSkippedSession session in sessions)
            {
                InvariantViolationException.Check(Enum.IsDefined(session.Reason), "a defined reason");
                InvariantViolationException.Check(session.SessionIdentifier is null || DbscHeaderWriter.IsSessionIdentifier(session.SessionIdentifier), "only valid identifiers are kept");
            }
        }
    }

    private static void CheckItem(HeaderValueResult result, string value)
    {
        InvariantViolationException.Check(Enum.IsDefined(result.Status), "a defined status");
        if (result.TryGetValue(out string? read))
        {
            InvariantViolationException.Check(result.Status == HeaderValueStatus.Found && read.Length > 0 && value.Length <= DbscHeaderReader.MaxHeaderLength, "a found value is non-empty and came from a bounded header");

            // The value is printable ASCII, so writing it back as an sf-string and reading it again is the identity.
            string quoted = "\"" + read.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
            InvariantViolationException.Check(quoted.Length > DbscHeaderReader.MaxHeaderLength || DbscHeaderReader.ReadProof(quoted).Value == read, "the value round-trips as an sf-string");
        }
        else
        {
            InvariantViolationException.Check(result.Status != HeaderValueStatus.Found, "a failure has no value");
        }
    }
}
