using System;
using System.Linq;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SessionCore.DependencyInjection;
using SessionCore.Diagnostics;
using SessionCore.Internal;
using SessionCore.Risk;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tokens;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers SessionCore in a service collection.</summary>
public static class SessionCoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers a singleton <see cref="SessionManager"/>. The options are validated now, so bad
    /// configuration fails at start-up. Register a store next (for example <c>AddInMemoryStore()</c>,
    /// <c>AddLiteDbStore(...)</c>). A registered <see cref="TimeProvider"/> and every registered
    /// <see cref="ISessionEventSink"/> are used, and a <see cref="SignInRiskEvaluator"/> when one is registered
    /// (<see cref="AddSignInRisk"/>).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Changes to the default options, or <see langword="null"/>.</param>
    /// <returns>A builder for stores and features.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is out of bounds or contradicts another.</exception>
    /// <exception cref="InvalidOperationException">SessionCore is registered already.</exception>
    public static SessionCoreBuilder AddSessionCore(this IServiceCollection services, Action<SessionOptions>? configure = null)
    {
        Throw.IfNull(services);
        if (services.HasService<SessionManager>())
        {
            // A second call would validate its options and then be silently ignored.
            Throw.InvalidOperation(Error.AddedTwice);
        }

        SessionOptions options = new();
        configure?.Invoke(options);
        SessionManagerSettings settings = SessionManagerSettings.Create(options);
        services.AddSingleton(sp => new SessionManager(
            sp.GetService<ISessionStore>() ?? Throw.InvalidOperation<ISessionStore>(Error.StoreMissing),
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            TokenSource.System,
            settings,
            [.. sp.GetServices<ISessionEventSink>()],
            sp.GetService<SignInRiskEvaluator>()));
        return new SessionCoreBuilder(services);
    }

    /// <summary>
    /// Runs the sign-in risk check at every sign-in that carries client information. The registered
    /// <see cref="ILocationProvider"/> is used when there is one (for example <c>AddMaxMindLocation(...)</c>); without
    /// one every place is unknown and only new devices are found. The options are validated now.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Changes to the default options (travel speed, actions per reason), or <see langword="null"/>.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An option is out of bounds or an action mapping is invalid.</exception>
    /// <remarks>Security: see <see cref="SessionManagerBuilder.SignInRisk"/>.</remarks>
    public static SessionCoreBuilder AddSignInRisk(this SessionCoreBuilder builder, Action<SignInRiskOptions>? configure = null)
    {
        Throw.IfNull(builder);
        SignInRiskOptions options = new();
        configure?.Invoke(options);

        // Validated and copied now, so a bad mapping fails at start-up and later changes to the options do nothing.
        SignInRiskEvaluator withoutProvider = new(options);
        builder.Services.RemoveAll<SignInRiskEvaluator>();
        builder.Services.AddSingleton(sp => withoutProvider.WithProvider(sp.GetService<ILocationProvider>()));
        return builder;
    }

    internal static bool HasService<T>(this IServiceCollection services) => services.Any(d => d.ServiceType == typeof(T));
}
