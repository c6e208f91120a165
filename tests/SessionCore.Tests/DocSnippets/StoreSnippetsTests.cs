using System;
using System.IO;
using System.Threading.Tasks;
using SessionCore.DocSnippets;
using SessionCore.Sessions;
using Xunit;

namespace SessionCore.Tests.DocSnippets;

// Runs the LiteDB registration shown in docs/concepts/stores.md against a file in a temporary folder.
public sealed class StoreSnippetsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("sessioncore-docs-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task LiteDbStore_WithDependencyInjection_SignsInAndValidates()
    {
        string path = Path.Combine(_folder, "sessions.db");

        Assert.Equal(SessionValidationStatus.Valid, await StoreSnippets.LiteDbWithDependencyInjectionAsync(path));
        Assert.True(File.Exists(path));
    }

    [Fact]
    public async Task LiteDbStore_WithoutDependencyInjection_SignsInAndValidates()
    {
        string path = Path.Combine(_folder, "sessions.db");

        Assert.Equal(SessionValidationStatus.Valid, await StoreSnippets.LiteDbWithoutDependencyInjectionAsync(path));
        Assert.True(File.Exists(path));
    }
}
