using System;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SessionCore.DependencyInjection;
using SessionCore.Internal;
using SessionCore.Stores;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the in-memory reference store with SessionCore.</summary>
public static class InMemorySessionCoreBuilderExtensions
{
    /// <summary>Uses the in-memory reference store (sessions are lost when the process ends), replacing any store registered before.</summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static SessionCoreBuilder AddInMemoryStore(this SessionCoreBuilder builder)
    {
        Throw.IfNull(builder);
        builder.Services.RemoveAll<ISessionStore>();
        builder.Services.AddSingleton<ISessionStore, InMemorySessionStore>();
        return builder;
    }
}
