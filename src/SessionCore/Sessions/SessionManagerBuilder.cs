using System;
using System.Collections.Generic;
using SessionCore.Diagnostics;
using SessionCore.Internal;
using SessionCore.Risk;
using SessionCore.Stores;
using SessionCore.Tokens;

namespace SessionCore.Sessions;

/// <summary>
/// Builds a <see cref="SessionManager"/> without any container, for console, desktop and custom hosts.
/// </summary>
/// <example>
/// <code>
/// var manager = new SessionManagerBuilder { Store = new InMemorySessionStore() }.Build();
/// </code>
/// </example>
/// <threadsafety>Not thread-safe. A builder builds once.</threadsafety>
public sealed class SessionManagerBuilder
{
    private bool _built;

    /// <summary>Gets or sets the store. Required.</summary>
    /// <value><see langword="null"/>.</value>
    public ISessionStore? Store { get; set; }

    /// <summary>Gets or sets the time source.</summary>
    /// <value><see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets or sets the options; they are validated and copied by <see cref="Build"/>.</summary>
    /// <value>Defaults: idle 30 minutes, absolute 12 hours, renewal every minute, no session limit.</value>
    public SessionOptions Options { get; set; } = new();

    /// <summary>Gets the handlers that receive session events.</summary>
    public IList<ISessionEventSink> EventSinks { get; } = [];

    /// <summary>Gets or sets the sign-in risk check run at every sign-in that carries <see cref="SignInRequest.Client"/>.</summary>
    /// <value><see langword="null"/>: no check; sessions record no place and no reasons.</value>
    /// <remarks>
    /// Security: with a check, a sign-in reads the user's known devices before it writes (one more store call), and the
    /// reasons' actions apply: <see cref="SignInRiskAction.Refuse"/> creates no session,
    /// <see cref="SignInRiskAction.RequireStepUp"/> starts it without fresh authentication. A failing location lookup
    /// only makes the place unknown; a failing store still fails the sign-in.
    /// </remarks>
    public SignInRiskEvaluator? SignInRisk { get; set; }

    /// <summary>Gets or sets the randomness seam; reachable by tests only, so production code cannot weaken entropy.</summary>
    internal Action<Span<byte>>? RandomFill { get; set; }

    /// <summary>Validates the configuration and builds the manager.</summary>
    /// <returns>The manager.</returns>
    /// <exception cref="InvalidOperationException">No store is set, or the builder was used already.</exception>
    /// <exception cref="ArgumentException">An option is out of bounds or contradicts another.</exception>
    public SessionManager Build()
    {
        if (_built)
        {
            Throw.InvalidOperation(Error.BuilderUsed);
        }

        ISessionStore store = Store ?? Throw.InvalidOperation<ISessionStore>(Error.StoreMissing);
        TimeProvider time = Throw.IfNull(TimeProvider);
        SessionManagerSettings settings = SessionManagerSettings.Create(Throw.IfNull(Options));
        TokenSource tokens = RandomFill is null ? TokenSource.System : new TokenSource(RandomFill);
        ISessionEventSink[] handlers = [.. EventSinks];
        foreach (ISessionEventSink handler in handlers)
        {
            Throw.IfNull(handler, nameof(EventSinks));
        }

        _built = true;
        return new SessionManager(store, time, tokens, settings, handlers, SignInRisk);
    }
}
