using System;
using System.Text.Json;

namespace SessionCore.Keys;

/// <summary>The algorithm-specific half of a <see cref="SigningKey"/>: the platform key object and its public members.</summary>
internal abstract class KeyMaterial : IDisposable
{
    public abstract bool HasPrivateKey { get; }

    /// <summary>Gets the exact size of this key's signatures, in bytes.</summary>
    public abstract int SignatureSize { get; }

    /// <summary>Gets the key size in bits: 256 for P-256 and Ed25519, the modulus length for RSA.</summary>
    public abstract int KeySize { get; }

    public abstract void Sign(ReadOnlySpan<byte> data, Span<byte> signature);

    public abstract bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature);

    /// <summary>Writes the required public members in lexicographic order (RFC 7638 §3.2), so the same writer serves the thumbprint and the JWK.</summary>
    public abstract void WriteRequiredPublicMembers(Utf8JsonWriter writer);

    /// <summary>Writes the private members (<c>d</c>, and for RSA the CRT values); the caller has checked the export policy.</summary>
    public abstract void WritePrivateMembers(Utf8JsonWriter writer);

    public abstract void Dispose();
}
