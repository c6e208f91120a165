using System;
using System.Net;
using SessionCore.Risk;
using Xunit;
using static SessionCore.Tests.Risk.RiskTestData;

namespace SessionCore.Tests.Risk;

public sealed partial class SignInRiskEvaluatorTests
{
    [Fact]
    public void ActionFor_Defaults_MatchTheDocumentation()
    {
        Assert.Equal(SignInRiskAction.Allow, s_evaluator.ActionFor(SignInRiskReason.None));
        Assert.Equal(SignInRiskAction.Allow, s_evaluator.ActionFor(SignInRiskReason.FirstSignIn));
        Assert.Equal(SignInRiskAction.Notify, s_evaluator.ActionFor(SignInRiskReason.NewDevice));
        Assert.Equal(SignInRiskAction.Notify, s_evaluator.ActionFor(SignInRiskReason.NewCountry));
        Assert.Equal(SignInRiskAction.Allow, s_evaluator.ActionFor(SignInRiskReason.NewAutonomousSystem));
        Assert.Equal(SignInRiskAction.RequireStepUp, s_evaluator.ActionFor(SignInRiskReason.ImpossibleTravel));
        Assert.Equal(SignInRiskAction.Allow, s_evaluator.ActionFor(SignInRiskReason.LocationUnknown));
        Assert.Equal(SignInRiskAction.RequireStepUp, s_evaluator.ActionFor(SignInRiskReason.NewDevice | SignInRiskReason.ImpossibleTravel));
    }

    [Fact]
    public void ActionFor_HostMapping_TakesTheStrictest()
    {
        SignInRiskOptions options = new();
        options.Actions[SignInRiskReason.NewCountry] = SignInRiskAction.Refuse;
        options.Actions.Remove(SignInRiskReason.NewDevice);
        SignInRiskEvaluator evaluator = new(options);
        options.Actions[SignInRiskReason.NewCountry] = SignInRiskAction.Allow; // changes after creation do nothing

        Assert.Equal(SignInRiskAction.Refuse, evaluator.ActionFor(SignInRiskReason.NewCountry | SignInRiskReason.ImpossibleTravel));
        Assert.Equal(SignInRiskAction.Allow, evaluator.ActionFor(SignInRiskReason.NewDevice));
    }

    [Theory]
    [InlineData(SignInRiskReason.None)]
    [InlineData(SignInRiskReason.NewDevice | SignInRiskReason.NewCountry)]
    [InlineData((SignInRiskReason)64)]
    public void Constructor_ActionForNoOrSeveralReasons_Throws(SignInRiskReason key)
    {
        SignInRiskOptions options = new();
        options.Actions[key] = SignInRiskAction.Notify;
        Assert.Throws<ArgumentException>(() => new SignInRiskEvaluator(options));
    }

    [Fact]
    public void Constructor_UndefinedAction_Throws()
    {
        SignInRiskOptions options = new();
        options.Actions[SignInRiskReason.NewDevice] = (SignInRiskAction)7;
        Assert.Throws<ArgumentException>(() => new SignInRiskEvaluator(options));
    }

    [Theory]
    [InlineData(99.9)]
    [InlineData(10_000.1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(-1_000)]
    public void Constructor_SpeedOutOfBounds_Throws(double speed) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new SignInRiskEvaluator(new SignInRiskOptions { MaxTravelSpeedKmh = speed }));

    [Theory]
    [InlineData(-1)]
    [InlineData(1_001)]
    public void Constructor_UnknownRadiusOutOfBounds_Throws(int radius) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new SignInRiskEvaluator(new SignInRiskOptions { UnknownAccuracyRadiusKm = radius }));

    [Fact]
    public void Locate_NoAddress_IsNoAddress() =>
        Assert.Same(LocationLookupResult.NoAddress, new SignInRiskEvaluator(null, new StubProvider(_ => LocationLookupResult.Found(London))).Locate(null));

    [Fact]
    public void Locate_NoProvider_IsUnavailable() =>
        Assert.Equal(LocationLookupStatus.Unavailable, s_evaluator.Locate(IPAddress.Loopback).Status);

    [Fact]
    public void Locate_ProviderThrows_IsUnavailableNeverAnException()
    {
        SignInRiskEvaluator evaluator = new(null, new StubProvider(_ => throw new InvalidOperationException("database gone")));

        LocationLookupResult result = evaluator.Locate(IPAddress.Parse("81.2.69.142"));

        Assert.Equal(LocationLookupStatus.Unavailable, result.Status);
        Assert.False(result.IsSuccess);
        Assert.Throws<InvalidOperationException>(() => result.Value);
    }

    [Fact]
    public void Locate_ProviderReturnsNull_IsUnavailable() =>
        Assert.Equal(LocationLookupStatus.Unavailable, new SignInRiskEvaluator(null, new StubProvider(_ => null!)).Locate(IPAddress.Loopback).Status);

    [Fact]
    public void Locate_MappedIPv4_ReachesTheProviderAsIPv4()
    {
        IPAddress? seen = null;
        SignInRiskEvaluator evaluator = new(null, new StubProvider(a => { seen = a; return LocationLookupResult.NotFound; }));

        evaluator.Locate(IPAddress.Parse("::ffff:81.2.69.142"));

        Assert.Equal(IPAddress.Parse("81.2.69.142"), seen);
    }

    [Fact]
    public void Assess_ProviderThrows_SignInGoesOnWithLocationUnknown()
    {
        SignInRiskEvaluator evaluator = new(null, new StubProvider(_ => throw new System.IO.IOException()));
        SignInRiskAssessment risk = evaluator.Assess(Device(), IPAddress.Parse("81.2.69.142"), Noon, [Known(Device(), Noon)], _ => Coarse(London));

        Assert.Equal(SignInRiskReason.LocationUnknown, risk.Reasons);
        Assert.Equal(LocationLookupStatus.Unavailable, risk.LocationStatus);
        Assert.Equal(SignInRiskAction.Allow, risk.Action);
    }

    [Fact]
    public void Assess_FoundAddress_UsesTheProvidersPlace()
    {
        SignInRiskEvaluator evaluator = new(null, new StubProvider(_ => LocationLookupResult.Found(Changchun)));
        SignInRiskAssessment risk = evaluator.Assess(Device(), IPAddress.Parse("175.16.199.1"), Noon, [Known(Device(), Noon.AddHours(-1))], _ => Coarse(London));

        Assert.True(risk.Has(SignInRiskReason.ImpossibleTravel));
        Assert.Equal("Changchun, CN", risk.Location!.ToString());
    }

    [Fact]
    public void Has_NoneOrCombination_AnswersForTheWholeSet()
    {
        SignInRiskAssessment risk = Evaluate(Device(), London, Noon, []);

        Assert.False(risk.Has(SignInRiskReason.None));
        Assert.True(risk.Has(SignInRiskReason.FirstSignIn));
        Assert.False(risk.Has(SignInRiskReason.FirstSignIn | SignInRiskReason.NewDevice));
    }

    [Fact]
    public void LocationLookupResult_Found_CarriesTheValue()
    {
        LocationLookupResult found = LocationLookupResult.Found(London);

        Assert.True(found.TryGetValue(out GeoLocation? value));
        Assert.Same(London, value);
        Assert.Equal("Found", found.ToString());
        Assert.False(LocationLookupResult.NotFound.TryGetValue(out _));
        Assert.Throws<ArgumentNullException>(() => LocationLookupResult.Found(null!));
    }

    private sealed class StubProvider(Func<IPAddress, LocationLookupResult> lookup) : ILocationProvider
    {
        public LocationLookupResult Lookup(IPAddress address) => lookup(address);
    }
}
