using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using SessionCore.Stores;

namespace SessionCore.StoreConformance;

/// <summary>
/// The "all suites implemented" guard: tells which stores of an assembly have no conformance suite in a test assembly, so
/// that a new store cannot ship untested. A suite is a public, non-abstract class deriving from
/// <see cref="SessionStoreConformanceTests"/>; it covers a store when its name starts with the store's type name (for
/// example <c>MongoSessionStoreConformanceTests</c> and <c>MongoSessionStoreOnFakeServerConformanceTests</c> both cover
/// <c>MongoSessionStore</c>).
/// </summary>
/// <example>
/// <code>
/// [Fact]
/// public void EveryStore_HasAConformanceSuite() =&gt;
///     Assert.Empty(ConformanceSuites.StoresWithoutSuite(typeof(MyStore).Assembly, typeof(MyStoreConformanceTests).Assembly));
/// </code>
/// </example>
public static class ConformanceSuites
{
    /// <summary>Lists the public, non-abstract <see cref="ISessionStore"/> classes of <paramref name="stores"/> that no suite in <paramref name="tests"/> covers.</summary>
    /// <param name="stores">The assembly that holds the stores.</param>
    /// <param name="tests">The test assembly that holds the suites.</param>
    /// <returns>The uncovered stores; empty when every store has a suite.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static IReadOnlyList<Type> StoresWithoutSuite(Assembly stores, Assembly tests)
    {
        ArgumentNullException.ThrowIfNull(stores);
        ArgumentNullException.ThrowIfNull(tests);
        string[] suites = [.. tests.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false, IsPublic: true } && t.IsSubclassOf(typeof(SessionStoreConformanceTests)))
            .Select(t => t.Name)];
        return [.. stores.GetExportedTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ISessionStore).IsAssignableFrom(t))
            .Where(store => !suites.Any(suite => suite.StartsWith(store.Name, StringComparison.Ordinal)))];
    }
}
