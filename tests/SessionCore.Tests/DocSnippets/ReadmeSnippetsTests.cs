using System;
using System.IO;
using System.Threading.Tasks;
using SessionCore.DocSnippets;
using SessionCore.Sessions;
using Xunit;

namespace SessionCore.Tests.DocSnippets;

// Runs the README's example, so the first code a reader sees keeps working.
public sealed class ReadmeSnippetsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("sessioncore-readme-").FullName;

    [Fact]
    public async Task TenLines_RunEndToEnd_OnLiteDb()
    {
        (string setCookie, SessionValidationStatus check, SessionOperationStatus signOut) =
            await ReadmeSnippets.TenLinesAsync(Path.Combine(_folder, "sessions.db"), cookieFromRequest: "junk");

        Assert.StartsWith("__Host-session=sc_", setCookie, StringComparison.Ordinal);
        Assert.Contains("HttpOnly", setCookie, StringComparison.Ordinal);
        Assert.Equal(SessionValidationStatus.Valid, check);
        Assert.Equal(SessionOperationStatus.Done, signOut);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
