using System;
using SessionCore.Internal;
using SessionCore.Stores;

namespace SessionCore.Dpop;

/// <summary>Builds a <see cref="DpopProofValidator"/> without any container.</summary>
/// <example>
/// <code>
/// DpopProofValidator validator = new DpopProofValidatorBuilder
/// {
///     Store = store,
///     Options = { ReplayScope = "https://api.example" },
/// }.Build();
/// </code>
/// </example>
/// <threadsafety>Not thread-safe. Each build validates and snapshots the options, so later changes do not reach built instances.</threadsafety>
public sealed class DpopProofValidatorBuilder
{
    /// <summary>Gets or sets the options; validated and copied by each build.</summary>
    /// <value>Defaults: 60-second proofs, 5-second future skew, ES256/EdDSA/Ed25519, 4 KiB proofs, no nonces.</value>
    public DpopOptions Options { get; set; } = new();

    /// <summary>Gets or sets the store whose single-use primitive is the replay cache. Required.</summary>
    /// <value><see langword="null"/>.</value>
    /// <remarks>Security: every node of a server must share it, or a proof refused by one node as a replay is accepted by another.</remarks>
    public ISessionStore? Store { get; set; }

    /// <summary>Gets or sets the time source.</summary>
    /// <value><see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Validates the configuration and builds a validator.</summary>
    /// <returns>The validator; dispose it at shutdown to release the nonce key.</returns>
    /// <exception cref="InvalidOperationException">No store is set.</exception>
    /// <exception cref="ArgumentException">An option is missing or out of bounds.</exception>
    public DpopProofValidator Build()
    {
        DpopSettings settings = DpopSettings.Create(Options);
        ISessionStore store = Store ?? Throw.InvalidOperation<ISessionStore>(Error.DpopStoreMissing);
        return new DpopProofValidator(settings, store, Throw.IfNull(TimeProvider));
    }
}
