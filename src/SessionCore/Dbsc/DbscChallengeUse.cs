using System;
using System.Diagnostics.CodeAnalysis;

namespace SessionCore.Dbsc;

/// <summary>
/// An authentic, unexpired challenge that is about to be used: what a single-use store must remember, and
/// for how long, so that the challenge is accepted once across every node.
/// </summary>
/// <remarks>
/// The store must refuse <see cref="Value"/> a second time until <see cref="ExpiresAt"/>; after that the
/// challenge fails as <see cref="DbscChallengeStatus.Expired"/> without any store, so the record can go.
/// </remarks>
/// <threadsafety>Immutable.</threadsafety>
[Experimental(DbscDiagnostics.ExperimentalId)]
public sealed class DbscChallengeUse
{
    internal DbscChallengeUse(string value, DbscChallengePurpose purpose, DateTimeOffset issuedAt, DateTimeOffset expiresAt)
    {
        Value = value;
        Purpose = purpose;
        IssuedAt = issuedAt;
        ExpiresAt = expiresAt;
    }

    /// <summary>Gets the kind of single-use value, for a store that keeps several kinds apart: <c>dbsc-challenge</c>.</summary>
    public static string SingleUsePurpose => "dbsc-challenge";

    /// <summary>Gets the challenge text (not secret: it travels in headers and inside the proof).</summary>
    public string Value { get; }

    /// <summary>Gets what the challenge was issued for.</summary>
    public DbscChallengePurpose Purpose { get; }

    /// <summary>Gets when the challenge was issued (whole seconds).</summary>
    public DateTimeOffset IssuedAt { get; }

    /// <summary>Gets when the challenge stops being accepted.</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>Returns the purpose and expiry; never the challenge.</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Purpose} until {ExpiresAt:O}");
}
