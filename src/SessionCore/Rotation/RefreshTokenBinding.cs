namespace SessionCore.Rotation;

/// <summary>
/// Who may use a refresh-token family: the OAuth client it was issued to and, for a sender-constrained family, the
/// proof-of-possession key (DPoP, RFC 9449). At issue it binds the new family; at redemption it says who presents the token.
/// </summary>
/// <param name="ClientId">The OAuth <c>client_id</c>, or <see langword="null"/>.</param>
/// <param name="KeyThumbprint">The RFC 7638 thumbprint of a key whose proof of possession the caller has verified, or <see langword="null"/>.</param>
/// <remarks>
/// Security: a family bound to a client or a key is redeemed only by that client with a proof by that key, for its whole
/// life; a redemption that does not match changes nothing, so a thief holding the token but not the key can neither obtain
/// a successor nor burn the family. Pass <see cref="KeyThumbprint"/> only after verifying the proof.
/// </remarks>
/// <threadsafety>Immutable and safe to share.</threadsafety>
public sealed record RefreshTokenBinding(string? ClientId = null, string? KeyThumbprint = null)
{
    /// <summary>Gets the binding of a caller that names no client and proves no key.</summary>
    public static RefreshTokenBinding None { get; } = new();
}
