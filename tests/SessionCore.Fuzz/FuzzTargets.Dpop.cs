using System;
using System.Collections.Generic;
using System.Text;
using SessionCore.Dpop;
using SessionCore.Stores;

namespace SessionCore.Fuzz;

public static partial class FuzzTargets
{
    /// <summary>The target URI the DPoP target checks proofs against (RFC 9449 figure 5's token endpoint).</summary>
    public const string DpopTargetUri = "https://server.example.com/token";

    // RFC 9449 figure 5's iat: the RFC's example token-request proof is valid at this instant.
    private static readonly FixedClock s_dpopClock = new(DateTimeOffset.FromUnixTimeSeconds(1562262616));

    private static IEnumerable<FuzzTarget> DpopTargets() =>
    [
        new("dpop-proof", "DpopProofValidator.ValidateAsync for POST " + DpopTargetUri + ", fixed clock, a fresh in-memory replay cache per run", DpopProof, KeyImportInternals),
        new("htu", "HttpUriNormalizer.TryNormalize (RFC 3986 normalisation of htu and the target URI)", Htu, Never),
    ];

    private static void DpopProof(byte[] input)
    {
        using DpopProofValidator validator = new DpopProofValidatorBuilder
        {
            Store = new InMemorySessionStore(),
            TimeProvider = s_dpopClock,
            Options = { ReplayScope = "https://server.example.com" },
        }.Build();
        DpopProofValidationResult result = Completed(validator.ValidateAsync(new DpopProofRequest { Proof = Text(input), Method = "POST", TargetUri = DpopTargetUri }));
        InvariantViolationException.Check(Enum.IsDefined(result.Status), "a defined status");
        InvariantViolationException.Check(result.IsSuccess == (result.Status == DpopProofStatus.Valid), "success iff Valid");
        InvariantViolationException.Check(result.NextNonce is null, "no nonce when nonces are off");
        if (result.TryGetValue(out DpopProof? proof))
        {
            InvariantViolationException.Check(proof.KeyThumbprint.Length == 43 && proof.Algorithm is "ES256" or "EdDSA" or "Ed25519", "a valid proof names its key and an allowed algorithm");
            InvariantViolationException.Check(
                Completed(validator.ValidateAsync(new DpopProofRequest { Proof = Text(input), Method = "POST", TargetUri = DpopTargetUri })).Status == DpopProofStatus.Replayed,
                "a valid proof is accepted once");
        }
    }

    private static T Completed<T>(System.Threading.Tasks.ValueTask<T> pending)
    {
        InvariantViolationException.Check(pending.IsCompletedSuccessfully, "the in-memory store completes synchronously");
        return pending.IsCompletedSuccessfully ? pending.Result : default!;
    }

    private static void Htu(byte[] input)
    {
        string text = Text(input);
        char[] once = new char[HttpUriNormalizer.BufferLength];
        if (!HttpUriNormalizer.TryNormalize(text, once, out int length))
        {
            return;
        }

        ReadOnlySpan<char> normal = once.AsSpan(0, length);
        char[] twice = new char[HttpUriNormalizer.BufferLength];
        InvariantViolationException.Check(HttpUriNormalizer.TryNormalize(normal, twice, out int again) && twice.AsSpan(0, again).SequenceEqual(normal), "normalisation is idempotent");
        InvariantViolationException.Check(normal.StartsWith("http://", StringComparison.Ordinal) || normal.StartsWith("https://", StringComparison.Ordinal), "only http(s)");
        InvariantViolationException.Check(normal.IndexOfAny('?', '#') < 0 && normal.Length <= text.Length + 1, "no query or fragment, never longer than the input plus a root slash");
        InvariantViolationException.Check(Encoding.ASCII.GetByteCount(normal) == normal.Length && !normal.ContainsAnyInRange('\0', ' '), "printable ASCII only");
    }
}
