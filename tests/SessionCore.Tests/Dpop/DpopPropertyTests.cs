using System;
using System.Linq;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SessionCore.Dpop;
using SessionCore.Internal;
using SessionCore.Keys;
using SessionCore.Tests.TestSupport;
using static SessionCore.Tests.Dpop.DpopKit;

namespace SessionCore.Tests.Dpop;

/// <summary>Invariants of DPoP proof validation over generated inputs.</summary>
public sealed class DpopPropertyTests : IDisposable
{
    private static readonly string[] s_requiredClaims = ["jti", "htm", "htu", "iat"];
    private readonly DpopKit _kit = new();
    private readonly DpopProofValidator _validator;

    public DpopPropertyTests() => _validator = _kit.Validator();

    public void Dispose()
    {
        _validator.Dispose();
        _kit.Dispose();
    }

    [Property(MaxTest = 300)]
    public bool AnySingleBitFlipInAnySegment_IsRefused_Holds(bool edDsa, PositiveInt position, byte bit)
    {
        ProofSpec spec = _kit.Spec(edDsa ? _kit.EdDsa : _kit.Es256).ForResource();
        byte[][] segments = [.. spec.Build().Split('.').Select(s => Base64UrlStrict.TryDecode(s)!)];
        int index = position.Get % segments.Sum(s => s.Length);
        int segment = 0;
        while (index >= segments[segment].Length)
        {
            index -= segments[segment].Length;
            segment++;
        }

        segments[segment][index] ^= (byte)(1 << (bit % 8));
        string mutated = string.Join('.', segments.Select(s => B64(s)));

        return !Validate(spec, mutated).IsSuccess;
    }

    [Property(MaxTest = 300)]
    public bool AnySingleCharacterChangeOfTheText_IsRefused_Holds(bool edDsa, PositiveInt position, char replacement)
    {
        ProofSpec spec = _kit.Spec(edDsa ? _kit.EdDsa : _kit.Es256);
        string proof = spec.Build();
        int index = position.Get % proof.Length;
        string mutated = proof[..index] + replacement + proof[(index + 1)..];

        // Canonical base64url gives each byte string one spelling, so any other text is another proof or none.
        return mutated == proof || !Validate(spec, mutated).IsSuccess;
    }

    [Property(MaxTest = 200)]
    public bool AnyOtherMethod_IsMethodMismatch_Holds(bool edDsa, NonEmptyString method)
    {
        string htm = new([.. method.Get.Where(c => SessionCore.Http.HttpGrammar.IsTokenChar(c)).Take(16)]);
        if (htm.Length == 0 || htm == "POST")
        {
            return true;
        }

        ProofSpec spec = _kit.Spec(edDsa ? _kit.EdDsa : _kit.Es256);
        spec.Payload["htm"] = htm;
        DpopProofStatus status = Validate(spec, spec.Build()).Status;

        // The same proof presented with its own method passes that check.
        spec.Method = htm;
        return status == DpopProofStatus.MethodMismatch && Validate(spec, spec.Build()).IsSuccess;
    }

    [Property(MaxTest = 300)]
    public bool HtuMatchesExactlyWhenNormalFormsAreEqual_Holds(bool edDsa, NonEmptyString path, bool upperHost)
    {
        string htu = (upperHost ? "https://SERVER.example.com/" : "https://server.example.com/") + path.Get;
        ProofSpec spec = _kit.Spec(edDsa ? _kit.EdDsa : _kit.Es256);
        spec.Payload["htu"] = htu;
        DpopProofStatus status = Validate(spec, spec.Build()).Status;

        char[] a = new char[HttpUriNormalizer.BufferLength];
        char[] b = new char[HttpUriNormalizer.BufferLength];
        bool same = HttpUriNormalizer.TryNormalize(htu, a, out int al) && HttpUriNormalizer.TryNormalize(TokenEndpoint, b, out int bl) && a.AsSpan(0, al).SequenceEqual(b.AsSpan(0, bl));
        return same ? status == DpopProofStatus.Valid : status is DpopProofStatus.UriMismatch or DpopProofStatus.Malformed;
    }

    [Property(MaxTest = 200)]
    public bool AnyRequiredClaimRemoved_IsMissingClaim_Holds(bool edDsa, byte which, bool resource)
    {
        ProofSpec spec = _kit.Spec(edDsa ? _kit.EdDsa : _kit.Es256);
        string[] required = resource ? [.. s_requiredClaims, "ath"] : s_requiredClaims;
        if (resource)
        {
            spec.ForResource();
        }

        spec.Payload.Remove(required[which % required.Length]);

        return Validate(spec, spec.Build()).Status == DpopProofStatus.MissingClaim;
    }

    [Property(MaxTest = 100)]
    public bool AnyRequiredHeaderMemberRemoved_IsRefusedByItsCheck_Holds(bool edDsa, byte which)
    {
        (string member, DpopProofStatus expected)[] required =
        [
            ("typ", DpopProofStatus.WrongType),
            ("alg", DpopProofStatus.UnsupportedAlgorithm),
            ("jwk", DpopProofStatus.MissingKey),
        ];
        (string member, DpopProofStatus expected) = required[which % required.Length];
        ProofSpec spec = _kit.Spec(edDsa ? _kit.EdDsa : _kit.Es256);
        spec.Header.Remove(member);

        return Validate(spec, spec.Build()).Status == expected;
    }

    [Property(MaxTest = 100)]
    public bool AProofIsNeverAcceptedTwice_Holds(bool edDsa, PositiveInt presentations, PositiveInt secondsBetween)
    {
        using DpopProofValidator validator = _kit.Validator();
        ProofSpec spec = _kit.Spec(edDsa ? _kit.EdDsa : _kit.Es256);
        string proof = spec.Build();
        int accepted = 0;
        for (int i = 0; i < 2 + (presentations.Get % 6); i++)
        {
            accepted += Synchronous.Run(validator.ValidateAsync(spec.Request(proof))).IsSuccess ? 1 : 0;
            _kit.Time.Advance(TimeSpan.FromSeconds(secondsBetween.Get % 40));
        }

        return accepted == 1;
    }

    [Property(MaxTest = 300)]
    public bool AnyString_NeverThrowsAndIsNeverValid_Holds(string? proof) =>
        !Synchronous.Run(_validator.ValidateAsync(new DpopProofRequest { Proof = proof, Method = "POST", TargetUri = TokenEndpoint })).IsSuccess;

    [Property(MaxTest = 300)]
    public bool AnyHeaderJson_NeverThrows_Holds(string header, string payload)
    {
        // Arbitrary JSON-ish text in both segments, validly signed: parsing never throws, and nothing without the
        // required structure is ever accepted.
        string proof = Sign(_kit.Es256, Encoding.UTF8.GetBytes(header ?? string.Empty), Encoding.UTF8.GetBytes(payload ?? string.Empty));
        return !Synchronous.Run(_validator.ValidateAsync(new DpopProofRequest { Proof = proof, Method = "POST", TargetUri = TokenEndpoint })).IsSuccess;
    }

    private DpopProofValidationResult Validate(ProofSpec spec, string proof) =>
        Synchronous.Run(_validator.ValidateAsync(spec.Request(proof)));
}
