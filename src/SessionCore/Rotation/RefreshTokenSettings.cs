using System;
using SessionCore.Internal;

namespace SessionCore.Rotation;

/// <summary>The validated, immutable snapshot of <see cref="RefreshTokenOptions"/>.</summary>
internal sealed class RefreshTokenSettings
{
    private readonly byte[]? _sealingKey;

    private RefreshTokenSettings(RefreshTokenOptions o)
    {
        FamilyLifetime = o.FamilyLifetime;
        IdleLifetime = o.IdleLifetime;
        GraceWindow = o.GraceWindow;
        _sealingKey = o.SealingKey.IsEmpty ? null : o.SealingKey.ToArray();
    }

    public TimeSpan FamilyLifetime { get; }

    public TimeSpan IdleLifetime { get; }

    public TimeSpan GraceWindow { get; }

    public ReadOnlySpan<byte> SealingKey => _sealingKey;

    public bool HasSealingKey => _sealingKey is not null;

    /// <summary>Validates <paramref name="options"/> and snapshots them.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of its bounds.</exception>
    /// <exception cref="ArgumentException">Values contradict each other, or the key is unusable.</exception>
    public static RefreshTokenSettings Create(RefreshTokenOptions options)
    {
        Throw.IfNull(options);
        OptionProblems problems = new();
        bool family = problems.InRange(options.FamilyLifetime, TimeSpan.FromMinutes(1), TimeSpan.FromDays(90), "options.FamilyLifetime");
        bool idle = problems.InRange(options.IdleLifetime, TimeSpan.FromMinutes(1), TimeSpan.FromDays(30), "options.IdleLifetime");
        _ = problems.InRange(options.GraceWindow, TimeSpan.Zero, RefreshTokenOptions.MaxGraceWindow, "options.GraceWindow");

        // Values compared only when each is in range: a bad value is reported once, not again as a contradiction.
        if (family && idle && options.IdleLifetime > options.FamilyLifetime)
        {
            problems.Add(new ArgumentException(Error.RefreshIdleLongerThanFamily, nameof(options)));
        }

        ReadOnlySpan<byte> key = options.SealingKey.Span;
        if (!key.IsEmpty)
        {
            if (key.Length != RefreshTokenOptions.SealingKeySize)
            {
                problems.Add(new ArgumentException(Error.SealingKeyLength, nameof(options)));
            }

            if (!key.ContainsAnyExcept(key[0]))
            {
                problems.Add(new ArgumentException(Error.SealingKeyWeak, nameof(options)));
            }
        }

        problems.ThrowIfAny(nameof(options));
        return new RefreshTokenSettings(options);
    }
}
