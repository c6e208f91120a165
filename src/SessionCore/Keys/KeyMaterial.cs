using System;
using System.Text.Json;

namespace SessionCore.Keys;

/// <summary>The algorithm-specific half of a <see cref="SigningKey"/>: the platform key object and its public coordinates.</summary>
internal abstract class KeyMaterial : IDisposable
{
    public abstract bool HasPrivateKey { get; }

    public abstract void Sign(ReadOnlySpan<byte> data, Span<byte> signature);

    public abstract bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature);

    /// <summary>Writes the required public members in lexicographic order (RFC 7638 §3.2), so the same writer serves the thumbprint and the JWK.</summary>
    public abstract void WriteRequiredPublicMembers(Utf8JsonWriter writer);

    /// <summary>Writes <c>d</c>; the caller has checked the export policy.</summary>
    public abstract void WritePrivateMember(Utf8JsonWriter writer);

    public abstract void Dispose();
}
