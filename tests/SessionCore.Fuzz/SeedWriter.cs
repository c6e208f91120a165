using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using LiteDB;
using SessionCore.Http;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Stores.LiteDb.Internal;
using SessionCore.Tokens;

namespace SessionCore.Fuzz;

/// <summary>
/// Writes the generated part of the seed corpus: values made by the library itself (from a fixed,
/// counter-based byte source so the files are reproducible) and their near misses. Files added by hand
/// (RFC examples, odd cases) sit beside them and are not touched.
/// </summary>
internal static partial class SeedWriter
{
    private static int s_written;

    public static int WriteAll(string corpusRoot)
    {
        s_written = 0;
        TokenSource source = Deterministic("SessionCore fuzz seeds");
        string session = SessionToken.Mint(source).Reveal();
        string refresh = RefreshToken.Mint(source).Reveal();
        string sessionId = SessionToken.TryParse(session, out SessionToken? parsed) ? parsed.Id.ToString() : throw new InvalidOperationException();

        Write(corpusRoot, "session-token", new()
        {
            ["minted.txt"] = session,
            ["session-id.txt"] = sessionId,
            ["refresh-prefix.txt"] = "scr_" + session[3..],
            ["one-short.txt"] = session[..^1],
            ["one-long.txt"] = session + "A",
            ["non-canonical-last-char.txt"] = session[..^1] + "B",
            ["standard-base64.txt"] = session[..10] + "+/" + session[12..],
            ["padded.txt"] = session[..^1] + "=",
            ["empty.txt"] = string.Empty,
        });
        Write(corpusRoot, "refresh-token", new()
        {
            ["minted.txt"] = refresh,
            ["session-prefix.txt"] = "sc_" + refresh[4..],
            ["one-short.txt"] = refresh[..^1],
            ["non-canonical-last-char.txt"] = refresh[..^1] + "F",
            ["whitespace.txt"] = " " + refresh[..^1],
        });
        Write(corpusRoot, "cookie-header", new()
        {
            ["single.txt"] = $"{FuzzTargets.CookieName}={session}",
            ["among-others.txt"] = $"theme=dark; {FuzzTargets.CookieName}={session}; sid=abc",
            ["duplicate.txt"] = $"{FuzzTargets.CookieName}={session}; {FuzzTargets.CookieName}={session}",
            ["quoted.txt"] = $"{FuzzTargets.CookieName}=\"{session}\"",
            ["empty-value.txt"] = $"{FuzzTargets.CookieName}=; sid=",
            ["ows.txt"] = $" \t{FuzzTargets.CookieName} = {session} ;;",
            ["no-equals.txt"] = $"{FuzzTargets.CookieName}; sid",
            ["rfc6265-example.txt"] = "SID=31d4d96e407aad42; lang=en-US",
        });
        Write(corpusRoot, "authorization-header", new()
        {
            ["bearer-opaque.txt"] = "Bearer " + session,
            ["bearer-jwt-shape.txt"] = "Bearer eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln",
            ["lowercase-two-spaces.txt"] = "bearer  mF_9.B5f-4.1JqM",
            ["rfc6750-example.txt"] = "Bearer mF_9.B5f-4.1JqM",
            ["padding.txt"] = "Bearer abc==",
            ["padding-inside.txt"] = "Bearer a=b",
            ["basic.txt"] = "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
            ["scheme-only.txt"] = "Bearer",
            ["tab.txt"] = "Bearer\tabc",
        });

        using (CsrfTokenService csrf = new(FuzzTargets.CsrfKey, source))
        {
            string valid = csrf.CreateToken(SessionId.Parse(FuzzTargets.CsrfSessionId));
            string other = csrf.CreateToken(SessionId.Parse(sessionId));
            Write(corpusRoot, "csrf-token", new()
            {
                ["valid.txt"] = valid,
                ["other-session.txt"] = other,
                ["flipped-last-byte.txt"] = valid[..^1] + (valid[^1] == 'A' ? 'Q' : 'A'),
                ["one-short.txt"] = valid[..^1],
                ["non-base64.txt"] = new string('*', CsrfTokenService.TokenLength),
                ["padded.txt"] = valid[..^2] + "==",
            });
        }

        Write(corpusRoot, "url", new()
        {
            ["clean.txt"] = "https://app.example/orders/42?page=2&sort=asc#top",
            ["access-token-query.txt"] = "https://app.example/cb?access_token=mF_9.B5f-4.1JqM&state=xyz",
            ["implicit-fragment.txt"] = "https://client.example/cb#id_token=eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl&state=af0ifjsldkj",
            ["path-parameter.txt"] = "https://app.example/app;jsessionid=0123456789ABCDEF/home",
            ["token-in-path.txt"] = "https://app.example/reset/" + session,
            ["encoded-name.txt"] = "/x?acc%65ss%5Ftoken=1",
            ["bad-escape.txt"] = "/x?q=%E0%A4%A&r=%zz+%",
            ["refresh-value.txt"] = "/renew?r=" + refresh,
            ["relative.txt"] = "?sid",
        });

        Write(corpusRoot, "forwarded-header", new()
        {
            ["xff-chain.txt"] = "198.51.100.1, 203.0.113.7, 10.0.0.2",
            ["xff-ports.txt"] = "203.0.113.7:8080, [2001:db8::1]:443, 2001:db8:ffff::9",
            ["xff-junk-left.txt"] = "garbage!!\"', 203.0.113.7",
            ["xff-shorthand.txt"] = "0x7f.1, 010.0.0.1, 10.1",
            ["rfc7239-example.txt"] = "for=192.0.2.43, for=198.51.100.17;by=203.0.113.60;proto=http;host=example.com",
            ["rfc7239-ipv6.txt"] = "for=\"[2001:db8:cafe::17]:4711\"",
            ["rfc7239-obfuscated.txt"] = "for=_hidden, for=\"_gazonk\", for=unknown",
            ["quoted-comma.txt"] = "for=\"evil, for=203.0.113.66\", for=198.51.100.1",
            ["escapes.txt"] = "for=\"x\\\", for=203.0.113.66\", host=\"a\\\\\";for=198.51.100.1",
            ["duplicate-for.txt"] = "for=203.0.113.7;FOR=198.51.100.1",
            ["unterminated.txt"] = "for=\"abc, for=198.51.100.1",
        });

        WriteLiteDb(corpusRoot, sessionId, refresh);
        WriteJwt(corpusRoot, source);
        return s_written;
    }

    private static void WriteLiteDb(string corpusRoot, string sessionId, string refresh)
    {
        DateTimeOffset t = FixedClock.Instance.Now;
        Session session = new()
        {
            Id = SessionId.Parse(sessionId),
            UserId = "user-42",
            CreatedAt = t,
            LastSeenAt = t.AddMinutes(5),
            IdleExpiresAt = t.AddMinutes(35),
            AbsoluteExpiresAt = t.AddHours(8),
            AuthenticatedAt = t,
            AuthenticationLevel = 2,
            Device = new SessionDevice("Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0", "203.0.113.0/24", "device-1"),
            SecurityEpoch = 3,
            Version = 7,
            Data = new Dictionary<string, string>(StringComparer.Ordinal) { ["theme"] = "dark", ["cart"] = "42" },
            AuthenticationMethods = ["pwd", "otp"],
            KeyBinding = new SessionKeyBinding("0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I", "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}", t),
        };
        Session revoked = new()
        {
            Id = session.Id,
            UserId = "ユーザー",
            CreatedAt = t,
            LastSeenAt = t,
            IdleExpiresAt = t,
            AbsoluteExpiresAt = t,
            AuthenticatedAt = t,
            RevokedAt = t.AddMinutes(1),
            RevocationReason = RevocationReason.RefreshTokenReuse,
        };
        RefreshFamily family = new()
        {
            FamilyId = RefreshFamilyId.Parse("ZmFtaWx5LTEtZml4ZWQtaQ"),
            ClientId = "client-1",
            KeyThumbprint = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I",
            SessionId = session.Id,
            UserId = "user-42",
            CreatedAt = t,
            AbsoluteExpiresAt = t.AddDays(30),
            Generation = 2,
            CurrentTokenHash = RefreshToken.TryParse(refresh, out RefreshToken? r) ? r.Hash : throw new InvalidOperationException(),
            CurrentIssuedAt = t,
            CurrentIdleExpiresAt = t.AddDays(7),
            SealedCurrentToken = new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 },
            PreviousTokenHash = RefreshTokenHash.Parse(sessionId),
            RotatedAt = t,
            SpentTokenHashes = [RefreshTokenHash.Parse(sessionId), RefreshTokenHash.Parse(sessionId[..^1] + "A")],
            Version = 3,
        };
        UserSecurityState user = new("user-42", 5, [new KnownDevice("k1", "hash", "Firefox", "203.0.113.0/24", t, t.AddDays(1))]);

        string dir = Directory.CreateDirectory(Path.Combine(corpusRoot, "litedb-document")).FullName;
        WriteBytes(dir, "session.bson", BsonSerializer.Serialize(LiteDbMapper.ToDocument(session)));
        WriteBytes(dir, "session-revoked.bson", BsonSerializer.Serialize(LiteDbMapper.ToDocument(revoked)));
        WriteBytes(dir, "family.bson", BsonSerializer.Serialize(LiteDbMapper.ToDocument(family)));
        WriteBytes(dir, "user.bson", BsonSerializer.Serialize(LiteDbMapper.ToDocument(user)));
        WriteBytes(dir, "token.bson", BsonSerializer.Serialize(new BsonDocument { ["_id"] = family.CurrentTokenHash.ToString(), ["f"] = family.FamilyId.ToString() }));
        BsonDocument dateAsDate = LiteDbMapper.ToDocument(session);
        dateAsDate[LiteDbMapper.CreatedAt] = new BsonValue(t.UtcDateTime);
        WriteBytes(dir, "session-date-not-ticks.bson", BsonSerializer.Serialize(dateAsDate));
        WriteBytes(dir, "empty.bson", BsonSerializer.Serialize([]));

        // Shapes that broke the readers before they checked BSON types (see LiteDbMapperTests).
        BsonDocument stringEntry = LiteDbMapper.ToDocument(session);
        stringEntry[LiteDbMapper.Data] = new BsonArray(new BsonValue("not-a-document"));
        WriteBytes(dir, "regression-data-entry-not-a-document.bson", BsonSerializer.Serialize(stringEntry));
        BsonDocument nullUser = LiteDbMapper.ToDocument(session);
        nullUser[LiteDbMapper.UserId] = BsonValue.Null;
        WriteBytes(dir, "regression-null-user-id.bson", BsonSerializer.Serialize(nullUser));
        BsonDocument negativeTicks = LiteDbMapper.ToDocument(family);
        negativeTicks[LiteDbMapper.CreatedAt] = new BsonValue(-1L);
        WriteBytes(dir, "regression-negative-ticks.bson", BsonSerializer.Serialize(negativeTicks));
        BsonDocument intHash = LiteDbMapper.ToDocument(family);
        intHash[LiteDbMapper.SpentTokenHashes] = new BsonArray(new BsonValue(42));
        WriteBytes(dir, "regression-spent-hash-not-a-string.bson", BsonSerializer.Serialize(intHash));
    }

    private static void Write(string corpusRoot, string target, Dictionary<string, string> files)
    {
        string dir = Directory.CreateDirectory(Path.Combine(corpusRoot, target)).FullName;
        foreach (KeyValuePair<string, string> file in files)
        {
            WriteBytes(dir, file.Key, Encoding.UTF8.GetBytes(file.Value));
        }
    }

    private static void WriteBytes(string dir, string name, byte[] content)
    {
        File.WriteAllBytes(Path.Combine(dir, name), content);
        s_written++;
    }

    // SHA-256 in counter mode over a label: stable bytes, so regenerating the corpus changes nothing.
    private static TokenSource Deterministic(string label)
    {
        int counter = 0;
        return new TokenSource(span =>
        {
            int offset = 0;
            while (offset < span.Length)
            {
                byte[] block = SHA256.HashData(Encoding.UTF8.GetBytes(label + "/" + counter++));
                int n = Math.Min(block.Length, span.Length - offset);
                block.AsSpan(0, n).CopyTo(span[offset..]);
                offset += n;
            }
        });
    }
}
