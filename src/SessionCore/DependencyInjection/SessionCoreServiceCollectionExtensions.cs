using System;
using System.Linq;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SessionCore.DependencyInjection;
using SessionCore.Diagnostics;
using SessionCore.Internal;
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
    /// <see cref="ISessionEventSink"/> are used.
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
            [.. sp.GetServices<ISessionEventSink>()]));
        return new SessionCoreBuilder(services);
    }

    internal static bool HasService<T>(this IServiceCollection services) => services.Any(d => d.ServiceType == typeof(T));
}
