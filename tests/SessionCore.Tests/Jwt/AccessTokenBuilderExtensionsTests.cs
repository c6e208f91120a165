using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using SessionCore.DependencyInjection;
using SessionCore.Jwt;
using SessionCore.Keys;
using SessionCore.Sessions;
using Xunit;

namespace SessionCore.Tests.Jwt;

public sealed class AccessTokenBuilderExtensionsTests
{
    [Fact]
    public async Task AddAccessTokens_WithInMemoryStore_IssuesAndValidatesOnline()
    {
        using SigningKey key = SigningKey.Generate(SigningAlgorithm.EdDsa);
        ServiceCollection services = new();
        services.AddSessionCore().AddInMemoryStore().AddAccessTokens(new SigningKeyRing(key), o =>
        {
            o.Issuer = "https://login.example";
            o.Audience = "api";
            o.DefaultClientId = "web";
        });
        await using ServiceProvider provider = services.BuildServiceProvider();
        SessionManager manager = provider.GetRequiredService<SessionManager>();
        AccessTokenIssuer issuer = provider.GetRequiredService<AccessTokenIssuer>();
        AccessTokenValidator validator = provider.GetRequiredService<AccessTokenValidator>();

        SignInResult signIn = await manager.SignInAsync(new SignInRequest("alice"), TestContext.Current.CancellationToken);
        string token = issuer.Issue(AccessTokenRequest.ForSession(signIn.Session!));

        Assert.Same(provider.GetRequiredService<SigningKeyRing>(), validator.KeyRing);
        Assert.True((await validator.ValidateAsync(token, TestContext.Current.CancellationToken)).IsSuccess);
        await manager.RevokeAsync(signIn.Value.Reveal(), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(AccessTokenValidationStatus.SessionRevoked, (await validator.ValidateAsync(token, TestContext.Current.CancellationToken)).Status);
    }

    [Fact]
    public void AddAccessTokens_InvalidOptions_ThrowsAtRegistration()
    {
        using SigningKey key = SigningKey.Generate(SigningAlgorithm.EdDsa);
        ServiceCollection services = new();
        SessionCoreBuilder builder = services.AddSessionCore().AddInMemoryStore();

        Assert.Throws<ArgumentException>(() => builder.AddAccessTokens(new SigningKeyRing(key), o => o.Issuer = "i"));
        Assert.Throws<ArgumentOutOfRangeException>(() => builder.AddAccessTokens(new SigningKeyRing(key), o =>
        {
            o.Issuer = "i";
            o.Audience = "a";
            o.Lifetime = TimeSpan.FromHours(2);
        }));
    }

    [Fact]
    public void AddAccessTokens_SeveralProblems_ReportsEveryOneAtOnce()
    {
        using SigningKey key = SigningKey.Generate(SigningAlgorithm.EdDsa);
        SessionCoreBuilder builder = new ServiceCollection().AddSessionCore().AddInMemoryStore();

        ArgumentException error = Assert.Throws<ArgumentException>(() => builder.AddAccessTokens(new SigningKeyRing(key), o =>
        {
            o.Lifetime = TimeSpan.FromHours(2);
            o.RequiredScopes.Add("ok");
            o.RequiredScopes.Add("not a scope");
            o.RequiredScopes.Add("also bad");   // the same problem again: reported once
        }));

        Assert.StartsWith("The options have 4 problems:", error.Message, StringComparison.Ordinal);
        Assert.Contains("options.Lifetime", error.Message, StringComparison.Ordinal);
    }
}
