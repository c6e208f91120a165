using System;

namespace SessionCore.Sessions;

/// <summary>
/// The device key a session is bound to: the RFC 7638 thumbprint and the public key (a JWK) that every later
/// proof of possession must verify against.
/// </summary>
/// <param name="Thumbprint">The RFC 7638 JWK SHA-256 thumbprint of <paramref name="PublicKeyJwk"/>, base64url.</param>
/// <param name="PublicKeyJwk">The public key as a JSON Web Key (public members only).</param>
/// <param name="BoundAt">When the key was registered.</param>
/// <remarks>Security: holds no secret; the private key never leaves the client device.</remarks>
/// <threadsafety>Immutable and safe to share.</threadsafety>
public sealed record SessionKeyBinding(string Thumbprint, string PublicKeyJwk, DateTimeOffset BoundAt);
