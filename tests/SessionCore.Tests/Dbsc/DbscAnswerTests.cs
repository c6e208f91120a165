using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using SessionCore.Dbsc;
using Xunit;

namespace SessionCore.Tests.Dbsc;

public sealed class DbscAnswerTests
{
    private const string Cookie = "__Host-dbsc=abc; Max-Age=600; Path=/; Secure; HttpOnly; SameSite=Strict";
    private static readonly DbscSessionInstructions s_instructions = new("s1", "/dbsc/refresh", [new DbscCookieCredential("__Host-dbsc", "Path=/; Secure; HttpOnly; SameSite=Strict")]);

    [Fact]
    public void Registered_OkWithCookieAndInstructions()
    {
        DbscAnswer answer = DbscAnswer.Registered(s_instructions, Cookie);

        Assert.Equal(200, answer.StatusCode);
        Assert.Equal(["Cache-Control: no-store", "Content-Type: application/json", "Set-Cookie: " + Cookie], Lines(answer));
        Assert.Equal(s_instructions.ToUtf8Json(), answer.Body.ToArray());
    }

    [Fact]
    public void Refreshed_WithoutInstructions_EmptyBody()
    {
        DbscAnswer answer = DbscAnswer.Refreshed(Cookie);

        Assert.Equal(200, answer.StatusCode);
        Assert.Equal(["Cache-Control: no-store", "Set-Cookie: " + Cookie], Lines(answer));
        Assert.True(answer.Body.IsEmpty);
    }

    [Fact]
    public void Refreshed_WithInstructions_JsonBody()
    {
        DbscAnswer answer = DbscAnswer.Refreshed(Cookie, s_instructions);

        Assert.Contains("Content-Type: application/json", Lines(answer));
        Assert.Equal(s_instructions.ToUtf8Json(), answer.Body.ToArray());
    }

    [Fact]
    public void ChallengeRequired_ForbiddenWithChallengeHeader()
    {
        string challenge = DbscHeaderWriter.FormatChallenge("c1", "s1");
        DbscAnswer answer = DbscAnswer.ChallengeRequired(challenge);

        Assert.Equal(403, answer.StatusCode);
        Assert.Equal(["Cache-Control: no-store", "Secure-Session-Challenge: \"c1\";id=\"s1\""], Lines(answer));
        Assert.True(answer.Body.IsEmpty);
    }

    [Fact]
    public void Terminated_ContinueFalseAndDeletions()
    {
        DbscAnswer answer = DbscAnswer.Terminated("__Host-dbsc=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Strict");

        Assert.Equal(200, answer.StatusCode);
        Assert.Equal("{\"continue\":false}", Encoding.UTF8.GetString(answer.Body.Span));
        Assert.Equal(["Cache-Control: no-store", "Content-Type: application/json", "Set-Cookie: __Host-dbsc=; Max-Age=0; Path=/; Secure; HttpOnly; SameSite=Strict"], Lines(answer));
        Assert.Equal(2, DbscAnswer.Terminated().Headers.Count);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(404)]
    [InlineData(499)]
    public void Refused_EndingStatus_Accepted(int status)
    {
        DbscAnswer answer = DbscAnswer.Refused(status);
        Assert.Equal(status, answer.StatusCode);
        Assert.Equal(["Cache-Control: no-store"], Lines(answer));
    }

    [Theory]
    [InlineData(200)]
    [InlineData(302)]
    [InlineData(399)]
    [InlineData(403)]
    [InlineData(407)]
    [InlineData(429)]
    [InlineData(500)]
    public void Refused_StatusBrowsersRetryOrIgnore_Throws(int status) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => DbscAnswer.Refused(status));

    [Fact]
    public void WithChallenge_AppendsAndKeepsTheRest()
    {
        DbscAnswer refreshed = DbscAnswer.Refreshed(Cookie);
        DbscAnswer primed = refreshed.WithChallenge(DbscHeaderWriter.FormatChallenge("next", "s1"));

        Assert.Equal(["Cache-Control: no-store", "Set-Cookie: " + Cookie, "Secure-Session-Challenge: \"next\";id=\"s1\""], Lines(primed));
        Assert.Equal(2, refreshed.Headers.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a=b\r\nX-Injected: 1")]
    [InlineData("a=b\n")]
    public void SetCookie_EmptyOrWithLineBreak_Throws(string cookie)
    {
        Assert.Throws<ArgumentException>(() => DbscAnswer.Refreshed(cookie));
        Assert.Throws<ArgumentException>(() => DbscAnswer.Registered(s_instructions, cookie));
        Assert.Throws<ArgumentException>(() => DbscAnswer.Terminated(cookie));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\"c\";id=\"s\"\r\nX: 1")]
    [InlineData("\"caf\u00e9\";id=\"s\"")]
    public void Challenge_InvalidHeaderValue_Throws(string header)
    {
        Assert.Throws<ArgumentException>(() => DbscAnswer.ChallengeRequired(header));
        Assert.Throws<ArgumentException>(() => DbscAnswer.Refreshed(Cookie).WithChallenge(header));
    }

    [Fact]
    public void NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => DbscAnswer.Registered(null!, Cookie));
        Assert.Throws<ArgumentNullException>(() => DbscAnswer.Refreshed(null!));
        Assert.Throws<ArgumentNullException>(() => DbscAnswer.ChallengeRequired(null!));
        Assert.Throws<ArgumentNullException>(() => DbscAnswer.Terminated(null!));
        Assert.Throws<ArgumentNullException>(() => DbscAnswer.Terminated([null!]));
    }

    [Fact]
    public void ToString_StatusOnly() => Assert.Equal("200", DbscAnswer.Registered(s_instructions, Cookie).ToString());

    private static List<string> Lines(DbscAnswer answer) => [.. answer.Headers.Select(h => h.Key + ": " + h.Value)];
}
