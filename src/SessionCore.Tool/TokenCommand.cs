using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using SessionCore.Dpop;
using SessionCore.Jwt;
using SessionCore.Keys;
using SessionCore.Stores;
using SessionCore.Tokens;

namespace SessionCore.Tool;

/// <summary>
/// <c>sessioncore token issue</c> prints a compact access token signed with a private JWK;
/// <c>sessioncore token verify</c> checks one against a JWKS (offline: signature and claims).
/// </summary>
internal static class TokenCommand
{
    /// <summary>The <c>client_id</c> of tokens the tool issues when <c>--client-id</c> names none: the tool is the client that asked.</summary>
    public const string DefaultClientId = "sessioncore-tool";

    public const string Usage = """
          token issue --key FILE --iss ISS --aud AUD --sub SUB [--client-id ID] [--scope SCOPE] [--ttl 15m]
                      [--sid SID] [--claim NAME=VALUE]... [--dpop-jkt THUMBPRINT]
                                                    print an access token (ttl: 5m to 60m; units s, m, h;
                                                    client_id sessioncore-tool unless --client-id names one;
                                                    --dpop-jkt binds it to a DPoP key: cnf.jkt, RFC 9449)
          token verify --jwks FILE --iss ISS --aud AUD [--dpop-proof PROOF --method M --url URL] [TOKEN]
                                                    verify a token (read from stdin when omitted); prints its
                                                    claims as JSON, or exits 1 with the reason on stderr; a
                                                    bound token needs the DPoP proof of its request
        """;

    private static readonly HashSet<string> s_issueOptions = new(StringComparer.Ordinal) { "key", "iss", "aud", "sub", "client-id", "scope", "ttl", "sid", "dpop-jkt" };
    private static readonly HashSet<string> s_issueRepeatable = new(StringComparer.Ordinal) { "claim" };
    private static readonly HashSet<string> s_verifyOptions = new(StringComparer.Ordinal) { "jwks", "iss", "aud", "dpop-proof", "method", "url" };
    private static readonly HashSet<string> s_none = new(StringComparer.Ordinal);

    public static async Task<int> RunAsync(ToolContext context, string[] args)
    {
        if (args.Length == 0)
        {
            return await Program.UsageErrorAsync(context, "token needs a subcommand: issue or verify").ConfigureAwait(false);
        }

        return args[0] switch
        {
            "issue" => await IssueAsync(context, args[1..]).ConfigureAwait(false),
            "verify" => await VerifyAsync(context, args[1..]).ConfigureAwait(false),
            _ => await Program.UsageErrorAsync(context, $"unknown token subcommand '{args[0]}'").ConfigureAwait(false),
        };
    }

    internal static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        if (text.Length < 2 || !long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out long amount) || amount > 1_000_000)
        {
            return false;
        }

        duration = text[^1] switch
        {
            's' => TimeSpan.FromSeconds(amount),
            'm' => TimeSpan.FromMinutes(amount),
            'h' => TimeSpan.FromHours(amount),
            _ => TimeSpan.MinValue,
        };
        return duration != TimeSpan.MinValue;
    }

    private static async Task<int> IssueAsync(ToolContext context, string[] args)
    {
        if (!CommandLine.TryParse(args, s_issueOptions, s_issueRepeatable, out CommandLine? line, out string? error))
        {
            return await Program.UsageErrorAsync(context, error).ConfigureAwait(false);
        }

        string? keyPath = line.Get("key"), issuer = line.Get("iss"), audience = line.Get("aud"), subject = line.Get("sub");
        if (keyPath is null || issuer is null || audience is null || subject is null || line.Positional.Count > 0)
        {
            return await Program.UsageErrorAsync(context, "token issue needs --key, --iss, --aud and --sub").ConfigureAwait(false);
        }

        TimeSpan ttl = TimeSpan.FromMinutes(15);
        if (line.Get("ttl") is string ttlText && (!TryParseDuration(ttlText, out ttl) || ttl < AccessTokenOptions.MinLifetime || ttl > AccessTokenOptions.MaxLifetime))
        {
            return await Program.UsageErrorAsync(context, "--ttl must be between 5m and 60m (for example 15m, 900s, 1h)").ConfigureAwait(false);
        }

        SessionId sid = default;
        if (line.Get("sid") is string sidText && !SessionId.TryParse(sidText, out sid))
        {
            return await Program.UsageErrorAsync(context, "--sid must be a session id (43 characters of base64url)").ConfigureAwait(false);
        }

        Dictionary<string, object> claims = new(StringComparer.Ordinal);
        foreach (string claim in line.GetAll("claim"))
        {
            int equals = claim.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                return await Program.UsageErrorAsync(context, "--claim must be NAME=VALUE").ConfigureAwait(false);
            }

            claims[claim[..equals]] = claim[(equals + 1)..];
        }

        using SigningKey? key = await Program.ReadKeyAsync(context, keyPath).ConfigureAwait(false);
        if (key is null)
        {
            return ExitCodes.Failure;
        }

        if (!key.HasPrivateKey)
        {
            await context.Error.WriteLineAsync($"'{keyPath}' holds a public key only; signing needs the private JWK").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        try
        {
            AccessTokenIssuer tokenIssuer = new AccessTokenBuilder
            {
                KeyRing = new SigningKeyRing(key),
                Options = { Issuer = issuer, Audience = audience, Lifetime = ttl, DefaultClientId = DefaultClientId },
            }.BuildIssuer();
            string token = tokenIssuer.Issue(new AccessTokenRequest { Subject = subject, SessionId = sid, ClientId = line.Get("client-id"), Scope = line.Get("scope"), Claims = claims, ConfirmationThumbprint = line.Get("dpop-jkt") });
            await context.Out.WriteLineAsync(token).ConfigureAwait(false);
            return ExitCodes.Success;
        }
        catch (ArgumentException ex)
        {
            // Refused claim names, a malformed client id or scope, blank issuer or subject: the caller's input, so a usage error.
            return await Program.UsageErrorAsync(context, ex.ParamName is null ? ex.Message : ex.Message.Replace($" (Parameter '{ex.ParamName}')", string.Empty, StringComparison.Ordinal)).ConfigureAwait(false);
        }
    }

    private static async Task<int> VerifyAsync(ToolContext context, string[] args)
    {
        if (!CommandLine.TryParse(args, s_verifyOptions, s_none, out CommandLine? line, out string? error))
        {
            return await Program.UsageErrorAsync(context, error).ConfigureAwait(false);
        }

        string? jwksPath = line.Get("jwks"), issuer = line.Get("iss"), audience = line.Get("aud");
        if (jwksPath is null || issuer is null || audience is null || line.Positional.Count > 1)
        {
            return await Program.UsageErrorAsync(context, "token verify needs --jwks, --iss and --aud, and at most one token").ConfigureAwait(false);
        }

        if (string.IsNullOrWhiteSpace(issuer) || string.IsNullOrWhiteSpace(audience))
        {
            return await Program.UsageErrorAsync(context, "--iss and --aud must not be empty").ConfigureAwait(false);
        }

        string? proof = line.Get("dpop-proof"), method = line.Get("method"), url = line.Get("url");
        if ((proof is null) != (method is null) || (proof is null) != (url is null)
            || (method is not null && (method.Length == 0 || !method.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal))))
            || (url is not null && !Uri.TryCreate(url, UriKind.Absolute, out _)))
        {
            return await Program.UsageErrorAsync(context, "--dpop-proof, --method and --url go together: the proof, the request's method and its absolute URL").ConfigureAwait(false);
        }

        SigningKeyRing ring;
        try
        {
            ring = SigningKeyRing.ImportJwks(await File.ReadAllTextAsync(jwksPath).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await context.Error.WriteLineAsync($"cannot read '{jwksPath}': {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (ArgumentException)
        {
            await context.Error.WriteLineAsync($"'{jwksPath}' is not a JWKS of ES256, EdDSA, RS256 or PS256 public keys").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        try
        {
            string token = line.Positional.Count == 1 ? line.Positional[0] : (await context.In.ReadToEndAsync().ConfigureAwait(false)).Trim();
            AccessTokenValidator validator = new AccessTokenBuilder
            {
                KeyRing = ring,
                Options = { Issuer = issuer, Audience = audience, ValidationMode = AccessTokenValidationMode.Offline },
            }.BuildValidator();
            if (proof is not null)
            {
                return await VerifyBoundAsync(context, validator, token, proof, method!, url!).ConfigureAwait(false);
            }

            AccessTokenValidationResult result = validator.ValidateOffline(token);
            if (!result.TryGetValue(out AccessTokenClaims? claims))
            {
                await context.Error.WriteLineAsync($"invalid token: {result.Status}").ConfigureAwait(false);
                return ExitCodes.Failure;
            }

            await context.Out.WriteLineAsync(claims.GetPayloadJson()).ConfigureAwait(false);
            return ExitCodes.Success;
        }
        finally
        {
            foreach (SigningKey key in ring.Keys)
            {
                key.Dispose();
            }
        }
    }

    /// <summary>
    /// Verifies a token with the DPoP proof of its request, as a resource server does (RFC 9449 §7): the token under
    /// the <c>DPoP</c> scheme, the proof's signature, method, URL, time, <c>ath</c> and key against <c>cnf.jkt</c>. The
    /// replay cache lives for this one run only.
    /// </summary>
    private static async Task<int> VerifyBoundAsync(ToolContext context, AccessTokenValidator validator, string token, string proof, string method, string url)
    {
        using DpopProofValidator proofs = new DpopProofValidatorBuilder
        {
            Store = new InMemorySessionStore(),
            Options = { ReplayScope = new Uri(url).GetLeftPart(UriPartial.Authority) },
        }.Build();
        ResourceAccessResult result = await new ResourceAccessValidator(validator, proofs).ValidateAsync(
            new ResourceAccessRequest { Authorization = "DPoP " + token, DpopHeaders = [proof], Method = method, TargetUri = url }).ConfigureAwait(false);
        if (!result.TryGetValue(out AccessTokenClaims? claims))
        {
            await context.Error.WriteLineAsync($"refused: {result.Status} (token: {result.TokenStatus?.ToString() ?? "-"}, proof: {result.ProofStatus?.ToString() ?? "-"})").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        await context.Out.WriteLineAsync(claims.GetPayloadJson()).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
