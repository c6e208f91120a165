using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using SessionCore.Devices;
using SessionCore.Internal;
using SessionCore.Risk;
using SessionCore.Tokens;

namespace SessionCore.Sessions;

/// <summary>The typed outcome of <see cref="SessionManager.SignInAsync"/>.</summary>
/// <threadsafety>Immutable.</threadsafety>
public sealed class SignInResult
{
    private SignInResult(SignInStatus status, SessionToken? token, Session? session, IReadOnlyList<SessionId> evicted, bool isNewDevice, DeviceChange deviceChange, SignInRiskAssessment? risk)
    {
        Risk = risk;
        Status = status;
        Token = token;
        Session = session;
        Evicted = evicted;
        IsNewDevice = isNewDevice;
        DeviceChange = deviceChange;
    }

    /// <summary>Gets the outcome.</summary>
    public SignInStatus Status { get; }

    /// <summary>Gets a value indicating whether a session was created.</summary>
    [MemberNotNullWhen(true, nameof(Token), nameof(Session))]
    public bool IsSuccess => Status == SignInStatus.SignedIn;

    /// <summary>Gets the new token, to send to the client once; <see langword="null"/> on failure.</summary>
    public SessionToken? Token { get; }

    /// <summary>Gets the new session; <see langword="null"/> on failure.</summary>
    public Session? Session { get; }

    /// <summary>Gets the sessions evicted to respect the concurrent-session limit.</summary>
    public IReadOnlyList<SessionId> Evicted { get; }

    /// <summary>
    /// Gets a value indicating whether the device fingerprint was not remembered for the user (a
    /// <see cref="Diagnostics.NewDeviceSignIn"/> event was raised). Always <see langword="false"/> when the
    /// request carried no <see cref="SignInRequest.Client"/>.
    /// </summary>
    /// <remarks>
    /// A user's first sign-in is new too and carries <see cref="DeviceChange.FirstDevice"/>. A new
    /// combination of individually known parts is new with no other flag set.
    /// </remarks>
    public bool IsNewDevice { get; }

    /// <summary>Gets what was new about the device, compared with every device remembered for the user.</summary>
    public DeviceChange DeviceChange { get; }

    /// <summary>
    /// Gets the verdict of the sign-in risk check, or <see langword="null"/> when none ran (no evaluator configured, or no
    /// <see cref="SignInRequest.Client"/>). Set on success and on <see cref="SignInStatus.RefusedByRisk"/>.
    /// </summary>
    /// <remarks>
    /// With <see cref="SignInRiskAction.RequireStepUp"/> the session starts without fresh authentication: every
    /// freshness check asks the user to authenticate again until the session is regenerated with
    /// <see cref="SessionChange.Reauthenticated"/>.
    /// </remarks>
    public SignInRiskAssessment? Risk { get; }

    /// <summary>Gets the new token.</summary>
    /// <exception cref="InvalidOperationException">The sign-in failed.</exception>
    public SessionToken Value => Token ?? Throw.InvalidOperation<SessionToken>(Error.FailedResultHasNoValue);

    /// <summary>Gets the new token when the sign-in succeeded.</summary>
    /// <param name="token">The token.</param>
    /// <returns><see langword="true"/> on success.</returns>
    public bool TryGetValue([NotNullWhen(true)] out SessionToken? token)
    {
        token = Token;
        return token is not null;
    }

    /// <inheritdoc/>
    public override string ToString() => Status.ToString();

    internal static SignInResult Success(
        SessionToken token, Session session, IReadOnlyList<SessionId> evicted, bool isNewDevice = false, DeviceChange deviceChange = DeviceChange.None, SignInRiskAssessment? risk = null) =>
        new(SignInStatus.SignedIn, token, session, evicted, isNewDevice, deviceChange, risk);

    internal static SignInResult Failure(SignInStatus status, SignInRiskAssessment? risk = null) => new(status, null, null, [], false, DeviceChange.None, risk);
}
