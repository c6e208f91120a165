using System;
using System.Collections.Generic;
using SessionCore.Internal;

namespace SessionCore.Risk;

/// <summary>The validated, immutable snapshot of <see cref="SignInRiskOptions"/>.</summary>
internal sealed class SignInRiskSettings
{
    // One action per reason bit: index i holds the action of reason 1 << i.
    private readonly SignInRiskAction[] _actions;

    private SignInRiskSettings(double maxSpeed, int unknownRadius, SignInRiskAction[] actions)
    {
        MaxTravelSpeedKmh = maxSpeed;
        UnknownAccuracyRadiusKm = unknownRadius;
        _actions = actions;
    }

    public double MaxTravelSpeedKmh { get; }

    public int UnknownAccuracyRadiusKm { get; }

    public static SignInRiskSettings Create(SignInRiskOptions options)
    {
        Throw.IfNull(options);
        double speed = options.MaxTravelSpeedKmh;
        if (!(speed >= SignInRiskOptions.MinTravelSpeedKmh && speed <= SignInRiskOptions.MaxTravelSpeedLimitKmh))
        {
            throw new ArgumentOutOfRangeException(nameof(options), Error.TravelSpeedOutOfRange);
        }

        Throw.IfOutOfRange(options.UnknownAccuracyRadiusKm, 0, SignInRiskOptions.MaxUnknownAccuracyRadiusKm, "options.UnknownAccuracyRadiusKm");
        SignInRiskAction[] actions = new SignInRiskAction[SignInRiskAssessment.AllReasons.Length];
        foreach (KeyValuePair<SignInRiskReason, SignInRiskAction> entry in options.Actions)
        {
            int index = Array.IndexOf(SignInRiskAssessment.AllReasons, entry.Key);
            if (index < 0)
            {
                throw new ArgumentException(Error.RiskReasonInvalid, nameof(options));
            }

            if (!Enum.IsDefined(entry.Value))
            {
                throw new ArgumentException(Error.RiskActionInvalid, nameof(options));
            }

            actions[index] = entry.Value;
        }

        return new SignInRiskSettings(speed, options.UnknownAccuracyRadiusKm, actions);
    }

    public SignInRiskAction ActionFor(SignInRiskReason reasons)
    {
        SignInRiskAction strictest = SignInRiskAction.Allow;
        for (int i = 0; i < _actions.Length; i++)
        {
            if (((int)reasons & (1 << i)) != 0 && _actions[i] > strictest)
            {
                strictest = _actions[i];
            }
        }

        return strictest;
    }
}
