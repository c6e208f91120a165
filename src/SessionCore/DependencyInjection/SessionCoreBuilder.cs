using Microsoft.Extensions.DependencyInjection;
using SessionCore.Internal;

namespace SessionCore.DependencyInjection;

/// <summary>Returned by <c>AddSessionCore</c>; store packages and features add themselves through extension methods on it.</summary>
/// <threadsafety>Not thread-safe; used during start-up only.</threadsafety>
public sealed class SessionCoreBuilder
{
    internal SessionCoreBuilder(IServiceCollection services) => Services = Throw.IfNull(services);

    /// <summary>Gets the service collection being configured.</summary>
    public IServiceCollection Services { get; }
}
