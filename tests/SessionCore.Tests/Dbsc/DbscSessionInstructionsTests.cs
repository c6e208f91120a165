using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using SessionCore.Dbsc;
using Xunit;

namespace SessionCore.Tests.Dbsc;

public sealed class DbscSessionInstructionsTests
{
    private static readonly DbscCookieCredential s_credential = new("__Host-dbsc", "Path=/; Secure; HttpOnly; SameSite=Strict");

    [Fact]
    public void ToUtf8Json_Minimal_EveryMemberExplicit()
    {
        DbscSessionInstructions instructions = new("s1", "/dbsc/refresh", [s_credential]);

        Assert.Equal(
            "{\"session_identifier\":\"s1\",\"refresh_url\":\"/dbsc/refresh\",\"continue\":true,"
            + "\"scope\":{\"include_site\":false,\"scope_specification\":[]},"
            + "\"credentials\":[{\"type\":\"cookie\",\"name\":\"__Host-dbsc\",\"attributes\":\"Path=/; Secure; HttpOnly; SameSite=Strict\"}],"
            + "\"allowed_refresh_initiators\":[]}",
            Encoding.UTF8.GetString(instructions.ToUtf8Json()));
    }

    [Fact]
    public void ToUtf8Json_Full_SpecExampleShape()
    {
        DbscSessionInstructions instructions = new("session_id", "/RefreshEndpoint", [new DbscCookieCredential("auth_cookie", "Domain=example.com; Path=/; Secure; HttpOnly; SameSite=None")])
        {
            Origin = "https://example.com",
            IncludeSite = true,
            ScopeRules =
            [
                new DbscScopeRule(DbscScopeRuleType.Include, "trusted.example.com", "/only_trusted_path"),
                new DbscScopeRule(DbscScopeRuleType.Exclude, "untrusted.example.com", "/"),
                new DbscScopeRule(DbscScopeRuleType.Exclude, "*.example.com", "/static"),
            ],
            AllowedRefreshInitiators = ["example.com", "*.example.com", "site-embedding-example.com"],
        };

        using JsonDocument json = JsonDocument.Parse(instructions.ToUtf8Json());
        JsonElement root = json.RootElement;
        Assert.Equal(["session_identifier", "refresh_url", "continue", "scope", "credentials", "allowed_refresh_initiators"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("session_id", root.GetProperty("session_identifier").GetString());
        Assert.True(root.GetProperty("continue").GetBoolean());
        JsonElement scope = root.GetProperty("scope");
        Assert.Equal("https://example.com", scope.GetProperty("origin").GetString());
        Assert.True(scope.GetProperty("include_site").GetBoolean());
        Assert.Equal(
            ["include trusted.example.com /only_trusted_path", "exclude untrusted.example.com /", "exclude *.example.com /static"],
            scope.GetProperty("scope_specification").EnumerateArray().Select(r => $"{r.GetProperty("type").GetString()} {r.GetProperty("domain").GetString()} {r.GetProperty("path").GetString()}"));
        Assert.Equal("Domain=example.com; Path=/; Secure; HttpOnly; SameSite=None", root.GetProperty("credentials")[0].GetProperty("attributes").GetString());
        Assert.Equal(["example.com", "*.example.com", "site-embedding-example.com"], root.GetProperty("allowed_refresh_initiators").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void Properties_Defaults()
    {
        DbscSessionInstructions instructions = new("s1", "https://example.com/r", [s_credential]);

        Assert.Null(instructions.Origin);
        Assert.False(instructions.IncludeSite);
        Assert.Empty(instructions.ScopeRules);
        Assert.Empty(instructions.AllowedRefreshInitiators);
        Assert.Equal("s1", instructions.ToString());
    }

    [Fact]
    public void ScopeRules_CopiedAtInit()
    {
        List<DbscScopeRule> rules = [new(DbscScopeRuleType.Exclude, "*", "/static")];
        DbscSessionInstructions instructions = new("s1", "/r", [s_credential]) { ScopeRules = rules };
        rules.Clear();

        Assert.Single(instructions.ScopeRules);
    }

    [Theory]
    [InlineData("1session")]
    [InlineData("a b")]
    [InlineData("")]
    public void Constructor_BadIdentifier_Throws(string id) =>
        Assert.Throws<ArgumentException>(() => new DbscSessionInstructions(id, "/r", [s_credential]));

    [Theory]
    [InlineData("")]
    [InlineData("refresh")]
    [InlineData("//evil.example/r")]
    [InlineData("/\\evil.example")]
    [InlineData("http://example.com/r")]
    public void Constructor_BadRefreshUrl_Throws(string url) =>
        Assert.Throws<ArgumentException>(() => new DbscSessionInstructions("s1", url, [s_credential]));

    [Fact]
    public void Constructor_CredentialCount_Bounded()
    {
        Assert.Throws<ArgumentException>(() => new DbscSessionInstructions("s1", "/r", []));
        Assert.Throws<ArgumentException>(() => new DbscSessionInstructions("s1", "/r", Enumerable.Repeat(s_credential, 17)));
        Assert.Equal(16, new DbscSessionInstructions("s1", "/r", Enumerable.Repeat(s_credential, 16)).Credentials.Count);
        Assert.Throws<ArgumentNullException>(() => new DbscSessionInstructions("s1", "/r", [null!]));
        Assert.Throws<ArgumentNullException>(() => new DbscSessionInstructions("s1", "/r", null!));
    }

    [Theory]
    [InlineData("https://example.com")]
    [InlineData("https://app.example.com:8443")]
    [InlineData("http://localhost")]
    [InlineData("http://localhost:5000")]
    [InlineData("http://127.0.0.1:5000")]
    public void Origin_Valid_Accepted(string origin) =>
        Assert.Equal(origin, new DbscSessionInstructions("s1", "/r", [s_credential]) { Origin = origin }.Origin);

    [Theory]
    [InlineData("")]
    [InlineData("https://Example.com")]
    [InlineData("https://example.com/")]
    [InlineData("https://example.com/path")]
    [InlineData("http://example.com")]
    [InlineData("ftp://example.com")]
    [InlineData("https://example.com:")]
    [InlineData("https://example.com:0")]
    [InlineData("https://example.com:08443")]
    [InlineData("https://example.com:65536")]
    [InlineData("https://user@example.com")]
    [InlineData("https://exa mple.com")]
    [InlineData("https://[::1]")]
    public void Origin_Invalid_Throws(string origin) =>
        Assert.Throws<ArgumentException>(() => new DbscSessionInstructions("s1", "/r", [s_credential]) { Origin = origin });

    [Theory]
    [InlineData("*.")]
    [InlineData("a..b")]
    [InlineData("Example.com")]
    [InlineData("*.*.example.com")]
    [InlineData("example.com.")]
    [InlineData(".example.com")]
    [InlineData("-example.com")]
    [InlineData("")]
    public void AllowedRefreshInitiators_Invalid_Throws(string pattern) =>
        Assert.Throws<ArgumentException>(() => new DbscSessionInstructions("s1", "/r", [s_credential]) { AllowedRefreshInitiators = [pattern] });

    [Fact]
    public void Lists_MoreThanSixtyFour_Throw()
    {
        Assert.Throws<ArgumentException>(() => new DbscSessionInstructions("s1", "/r", [s_credential]) { AllowedRefreshInitiators = [.. Enumerable.Repeat("a.com", 65)] });
        Assert.Throws<ArgumentException>(() => new DbscSessionInstructions("s1", "/r", [s_credential]) { ScopeRules = [.. Enumerable.Repeat(new DbscScopeRule(DbscScopeRuleType.Exclude), 65)] });
        Assert.Throws<ArgumentNullException>(() => new DbscSessionInstructions("s1", "/r", [s_credential]) { ScopeRules = [null!] });
    }

    [Theory]
    [InlineData("*", "/")]
    [InlineData("*.example.com", "/static")]
    [InlineData("example.com", "/a/b?c")]
    [InlineData("10.0.0.1", "/")]
    public void ScopeRule_Valid_Accepted(string domain, string path)
    {
        DbscScopeRule rule = new(DbscScopeRuleType.Include, domain, path);
        Assert.Equal("include " + domain + path, rule.ToString());
    }

    [Theory]
    [InlineData("", "/")]
    [InlineData("**", "/")]
    [InlineData("*example.com", "/")]
    [InlineData("EXAMPLE.com", "/")]
    [InlineData("ex_ample.com", "/")]
    [InlineData("*", "")]
    [InlineData("*", "static")]
    [InlineData("*", "/\u00e9")]
    [InlineData("*", "/a\nb")]
    public void ScopeRule_Invalid_Throws(string domain, string path) =>
        Assert.Throws<ArgumentException>(() => new DbscScopeRule(DbscScopeRuleType.Exclude, domain, path));

    [Fact]
    public void ScopeRule_UndefinedType_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new DbscScopeRule((DbscScopeRuleType)2));

    [Theory]
    [InlineData("a b", "Path=/")]
    [InlineData("", "Path=/")]
    [InlineData("n", "Path=/; Max-Age=600")]
    [InlineData("n", "Path=/; expires=Thu, 01 Jan 2099 00:00:00 GMT")]
    [InlineData("n", "Path=/; Partitioned")]
    [InlineData("n", "Path=/;partitioned ")]
    [InlineData("n", "Path=/caf\u00e9")]
    public void CookieCredential_Invalid_Throws(string name, string attributes) =>
        Assert.Throws<ArgumentException>(() => new DbscCookieCredential(name, attributes));
}
