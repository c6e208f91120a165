using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using SessionCore.Internal;
using SessionCore.Keys;
using SessionCore.Stores;

namespace SessionCore.Dpop;

/// <summary>The validated, immutable snapshot of <see cref="DpopOptions"/>.</summary>
internal sealed class DpopSettings
{
    /// <summary>The <see cref="SingleUseKey"/> purpose of DPoP proof ids.</summary>
    public const string ReplayPurpose = "dpop-jti";

    private DpopSettings(DpopOptions o, string scope, ProofAlgorithm[] algorithms, byte[]? nonceKey)
    {
        ReplayScope = scope;
        MaxProofAge = o.MaxProofAge;
        FutureSkew = o.FutureSkew;
        AllowedAlgorithms = o.AllowedAlgorithms;
        RequireNonce = o.RequireNonce;
        RequireBoundTokens = o.RequireBoundTokens;
        NonceLifetime = o.NonceLifetime;
        NonceKey = nonceKey;
        KeyCacheSize = o.KeyCacheSize;
        Policy = new ProofJwsPolicy("dpop+jwt", algorithms, o.MaxProofLength);
        AlgorithmNames = string.Join(' ', Array.ConvertAll(algorithms, a => a.Name));
    }

    public string ReplayScope { get; }

    public TimeSpan MaxProofAge { get; }

    public TimeSpan FutureSkew { get; }

    public DpopSigningAlgorithms AllowedAlgorithms { get; }

    public bool RequireNonce { get; }

    public bool RequireBoundTokens { get; }

    public TimeSpan NonceLifetime { get; }

    /// <summary>Gets the shared nonce key, or <see langword="null"/> for a per-process one.</summary>
    public byte[]? NonceKey { get; }

    public int KeyCacheSize { get; }

    public ProofJwsPolicy Policy { get; }

    /// <summary>Gets the allowed algorithms, space-separated, for the <c>algs</c> challenge parameter.</summary>
    public string AlgorithmNames { get; }

    public static DpopSettings Create(DpopOptions options)
    {
        Throw.IfNull(options);
        OptionProblems problems = new();
        if (string.IsNullOrWhiteSpace(options.ReplayScope))
        {
            problems.Add(new ArgumentException(Error.DpopReplayScopeMissing, nameof(options)));
        }
        else if (Encoding.UTF8.GetByteCount(options.ReplayScope) > SingleUseKey.MaxLabelLength)
        {
            problems.Add(new ArgumentException(Error.DpopReplayScopeTooLong, nameof(options)));
        }

        _ = problems.InRange(options.MaxProofAge, TimeSpan.FromSeconds(1), DpopOptions.MaxProofAgeLimit, "options.MaxProofAge");
        _ = problems.InRange(options.FutureSkew, TimeSpan.Zero, DpopOptions.MaxFutureSkew, "options.FutureSkew");
        _ = problems.InRange(options.MaxProofLength, 512, 16384, "options.MaxProofLength");
        _ = problems.InRange(options.NonceLifetime, TimeSpan.FromSeconds(10), TimeSpan.FromHours(1), "options.NonceLifetime");
        _ = problems.InRange(options.KeyCacheSize, 0, 100_000, "options.KeyCacheSize");
        ProofAlgorithm[] algorithms = AlgorithmsOf(options.AllowedAlgorithms);
        if (algorithms.Length == 0 || (options.AllowedAlgorithms & ~DpopSettings.AllAlgorithms) != 0)
        {
            problems.Add(new ArgumentException(Error.DpopAlgorithmsInvalid, nameof(options)));
        }

        byte[]? nonceKey = null;
        ReadOnlySpan<byte> key = options.NonceKey.Span;
        if (!key.IsEmpty)
        {
            if (key.Length < DpopOptions.MinNonceKeySize || key.Length > 64)
            {
                problems.Add(new ArgumentException(Error.DpopNonceKeyLength, nameof(options)));
            }

            if (key.IndexOfAnyExcept(key[0]) < 0)
            {
                problems.Add(new ArgumentException(Error.DpopNonceKeyWeak, nameof(options)));
            }

            nonceKey = key.ToArray();
        }

        problems.ThrowIfAny(nameof(options));
        return new DpopSettings(options, options.ReplayScope!, algorithms, nonceKey);   // not null: checked above
    }

    /// <summary>Every defined algorithm flag.</summary>
    internal const DpopSigningAlgorithms AllAlgorithms = DpopSigningAlgorithms.Default | DpopSigningAlgorithms.Rs256 | DpopSigningAlgorithms.Ps256;

    /// <summary>The allow-list in a fixed order; the one place that maps the public flags to proof algorithms.</summary>
    internal static ProofAlgorithm[] AlgorithmsOf(DpopSigningAlgorithms flags)
    {
        List<ProofAlgorithm> algorithms = [];
        if ((flags & DpopSigningAlgorithms.Es256) != 0)
        {
            algorithms.Add(ProofAlgorithm.Es256);
        }

        if ((flags & DpopSigningAlgorithms.EdDsa) != 0)
        {
            algorithms.Add(ProofAlgorithm.EdDsa);
        }

        if ((flags & DpopSigningAlgorithms.Ed25519) != 0)
        {
            algorithms.Add(ProofAlgorithm.Ed25519);
        }

        if ((flags & DpopSigningAlgorithms.Rs256) != 0)
        {
            algorithms.Add(ProofAlgorithm.Rs256);
        }

        if ((flags & DpopSigningAlgorithms.Ps256) != 0)
        {
            algorithms.Add(ProofAlgorithm.Ps256);
        }

        return [.. algorithms];
    }

    /// <summary>A fresh random nonce key for a validator built without <see cref="DpopOptions.NonceKey"/>.</summary>
    internal static byte[] NewProcessNonceKey() => RandomNumberGenerator.GetBytes(32);
}
