using System;
using System.Collections.Generic;
using SessionCore.Dbsc;
using SessionCore.Http;
using SessionCore.Keys;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tokens;

namespace SessionCore.Fuzz;

public static partial class FuzzTargets
{
    private static IEnumerable<FuzzTarget> DbscTargets() =>
    [
        new("dbsc-headers", "DbscHeaderReader.ReadProof, ReadSessionIdentifier and ReadSkipped (RFC 9651 Item and List fields)", DbscHeaders, Never),
        new("dbsc-proof", "DbscProofValidator.ValidateRegistrationAsync and ValidateRefreshAsync, fixed challenge key and clock, a fresh in-memory store per run", DbscProof, KeyImportInternals),
    ];

    private static readonly FixedClock s_dbscClock = new(DateTimeOffset.FromUnixTimeSeconds(1767225600));
    private static readonly DbscChallengeService s_dbscChallenges = new(new byte[DbscChallengeService.KeySize], s_dbscClock);
    private static readonly SessionId s_dbscSession = SessionId.FromTokenValue("fuzz-session");
    private static readonly SessionKeyBinding s_dbscBinding = CreateBinding();

    /// <summary>Gets the challenge service of the <c>dbsc-proof</c> target, so tests can make proofs that reach its deepest path.</summary>
    internal static DbscChallengeService DbscChallenges => s_dbscChallenges;

    /// <summary>Gets the session the <c>dbsc-proof</c> target validates for.</summary>
    internal static SessionId DbscSession => s_dbscSession;

    private static SessionKeyBinding CreateBinding()
    {
        using SigningKey key = SigningKey.Generate(SigningAlgorithm.Es256);
        return new SessionKeyBinding(key.KeyId, key.ExportPublicJwk(), s_dbscClock.GetUtcNow());
    }

    private static void DbscProof(byte[] input)
    {
        string text = Text(input);
        DbscProofValidator validator = new(s_dbscChallenges, new InMemorySessionStore(), s_dbscClock);
        foreach (bool refresh in (bool[])[false, true])
        {
            DbscProofResult result = Completed(refresh
                ? validator.ValidateRefreshAsync(text, s_dbscSession, s_dbscBinding)
                : validator.ValidateRegistrationAsync(text, s_dbscSession));
            InvariantViolationException.Check(Enum.IsDefined(result.Status), "a defined status");
            InvariantViolationException.Check(result.IsSuccess == (result.Status == DbscProofStatus.Valid), "success iff Valid");
            if (result.TryGetValue(out DbscProof? proof))
            {
                InvariantViolationException.Check(proof.KeyThumbprint.Length == 43 && proof.Algorithm == "ES256", "a valid proof names its key and ES256");
                DbscProofResult again = Completed(refresh
                    ? validator.ValidateRefreshAsync(text, s_dbscSession, s_dbscBinding)
                    : validator.ValidateRegistrationAsync(text, s_dbscSession));
                InvariantViolationException.Check(again.Status == DbscProofStatus.ChallengeReplayed, "a challenge is accepted once");
            }
        }
    }

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
