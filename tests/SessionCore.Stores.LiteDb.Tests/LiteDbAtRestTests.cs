using System;
using System.IO;
using System.Text;
using System.Threading.Tasks;
using SessionCore.Rotation;
using SessionCore.Sessions;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.Stores.LiteDb.Tests;

/// <summary>What a stolen database file gives away: identifiers (hashes), never a usable token.</summary>
public sealed class LiteDbAtRestTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task DatabaseFile_AfterSignInAndRefresh_HoldsHashesButNoTokenText()
    {
        string path = _folder.File("at-rest.db");
        string sessionToken;
        string refreshToken;
        string sessionId;
        string refreshHash;
        using (LiteDbSessionStore store = new(new LiteDbSessionStoreOptions { FilePath = path, PurgeInterval = null }))
        {
            SessionManager manager = new SessionManagerBuilder { Store = store }.Build();
            using RefreshTokenService refresh = new(manager);
            SessionToken token = (await manager.SignInAsync(new SignInRequest("alice"), TestContext.Current.CancellationToken)).Value;
            RefreshTokenResult issued = await refresh.IssueAsync(token, cancellationToken: TestContext.Current.CancellationToken);
            RefreshTokenResult rotated = await refresh.RedeemAsync(issued.Value.Reveal(), cancellationToken: TestContext.Current.CancellationToken);
            sessionToken = token.Reveal();
            sessionId = token.Id.ToString();
            refreshToken = rotated.Value.Reveal();
            refreshHash = rotated.Value.Hash.ToString();
        }

        string file = Encoding.ASCII.GetString(await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken));

        // The search works: the identifiers are there in plain text...
        Assert.Contains(sessionId, file, StringComparison.Ordinal);
        Assert.Contains(refreshHash, file, StringComparison.Ordinal);

        // ...but no token, and no long piece of one, is.
        foreach (string secret in new[] { sessionToken, refreshToken })
        {
            string body = secret[(secret.IndexOf('_', StringComparison.Ordinal) + 1)..];
            for (int start = 0; start + 16 <= body.Length; start += 8)
            {
                Assert.DoesNotContain(body.Substring(start, 16), file, StringComparison.Ordinal);
            }
        }
    }
}
