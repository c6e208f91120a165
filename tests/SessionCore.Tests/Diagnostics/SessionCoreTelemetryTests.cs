using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Linq;
using System.Threading.Tasks;
using SessionCore.Diagnostics;
using SessionCore.Jwt;
using SessionCore.Keys;
using SessionCore.Sessions;
using SessionCore.Stores;
using SessionCore.Tests.TestSupport;
using SessionCore.Tokens;
using Xunit;

namespace SessionCore.Tests.Diagnostics;

/// <summary>What the meter reports, and that no measurement carries a token, a hash or a user id.</summary>
[Collection(nameof(SessionCoreTelemetryTests))]
public sealed class SessionCoreTelemetryTests : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, KeyValuePair<string, object?>[] Tags)> _measurements = new();

    public SessionCoreTelemetryTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == SessionCoreTelemetry.Name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) => _measurements.Enqueue((instrument.Name, tags.ToArray())));
        _listener.Start();
    }

    [Fact]
    public async Task Measurements_ForAFullFlow_CountOutcomesAndCarryNoSecrets()
    {
        InMemorySessionStore store = new();
        SessionManager manager = new SessionManagerBuilder { Store = store }.Build();
        using SigningKey key = SigningKey.Generate(SigningAlgorithm.Es256);
        AccessTokenBuilder tokens = new()
        {
            KeyRing = new SigningKeyRing(key),
            Store = store,
            Options = new AccessTokenOptions { Issuer = "https://issuer.test", Audience = "api", DefaultClientId = "app" },
        };

        SessionToken token = (await manager.SignInAsync(new SignInRequest("user-7f3a"), TestContext.Current.CancellationToken)).Value;
        SessionValidationResult valid = await manager.ValidateAsync(token.Reveal(), TestContext.Current.CancellationToken);
        await manager.ValidateAsync("junk", TestContext.Current.CancellationToken);
        string access = tokens.BuildIssuer().Issue(AccessTokenRequest.ForSession(valid.Value));
        await tokens.BuildValidator().ValidateAsync(access, TestContext.Current.CancellationToken);
        await manager.RevokeAsync(token.Reveal(), cancellationToken: TestContext.Current.CancellationToken);

        var mine = _measurements.ToArray();
        Assert.Contains(mine, m => m.Instrument == "sessioncore.sessions.created");
        Assert.Contains(mine, m => m.Instrument == "sessioncore.sessions.validated" && m.Tags.Contains(new("outcome", "Valid")));
        Assert.Contains(mine, m => m.Instrument == "sessioncore.sessions.validated" && m.Tags.Contains(new("outcome", "Malformed")));
        Assert.Contains(mine, m => m.Instrument == "sessioncore.access_tokens.issued");
        Assert.Contains(mine, m => m.Instrument == "sessioncore.access_tokens.validated" && m.Tags.Contains(new("outcome", "Valid")));
        Assert.Contains(mine, m => m.Instrument == "sessioncore.sessions.revoked" && m.Tags.Contains(new("reason", "Logout")));

        string[] forbidden = [token.Reveal(), token.Id.ToString(), "user-7f3a", access, access.Split('.')[2]];
        foreach ((_, KeyValuePair<string, object?>[] tags) in mine)
        {
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                string text = tag.Value?.ToString() ?? string.Empty;
                Assert.All(forbidden, secret => Assert.DoesNotContain(secret, text, StringComparison.Ordinal));
                Assert.True(text.Length < 32, "tags are coarse names, never values");
            }
        }
    }

    [Fact]
    public async Task StoreFailure_DuringInvalidation_IsCountedAndAnsweredStoreUnavailable()
    {
        DelegatingStore store = new(new InMemorySessionStore());
        SessionManager manager = new SessionManagerBuilder { Store = store }.Build();
        string token = (await manager.SignInAsync(new SignInRequest("alice"), TestContext.Current.CancellationToken)).Value.Reveal();
        store.Fail = true;

        UserInvalidationResult result = await manager.InvalidateUserAsync("alice", InvalidationTrigger.SuspectedBreach, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(SessionOperationStatus.StoreUnavailable, result.Status);
        Assert.Contains(_measurements, m => m.Instrument == "sessioncore.store.failures");
        store.Fail = false;
        Assert.True((await manager.ValidateAsync(token, TestContext.Current.CancellationToken)).IsValid, "nothing was revoked, and the caller was told so");
    }

    [Fact]
    public async Task StoreFailure_DuringOnlineAccessTokenValidation_IsCountedAndAnsweredStoreUnavailable()
    {
        DelegatingStore store = new(new InMemorySessionStore());
        SessionManager manager = new SessionManagerBuilder { Store = store }.Build();
        using SigningKey key = SigningKey.Generate(SigningAlgorithm.Es256);
        AccessTokenBuilder tokens = new()
        {
            KeyRing = new SigningKeyRing(key),
            Store = store,
            Options = new AccessTokenOptions { Issuer = "https://issuer.test", Audience = "api", DefaultClientId = "app" },
        };
        Session session = (await manager.SignInAsync(new SignInRequest("alice"), TestContext.Current.CancellationToken)).Session!;
        string access = tokens.BuildIssuer().Issue(AccessTokenRequest.ForSession(session));
        _measurements.Clear();
        store.Fail = true;

        AccessTokenValidationResult result = await tokens.BuildValidator().ValidateAsync(access, TestContext.Current.CancellationToken);

        Assert.Equal(AccessTokenValidationStatus.StoreUnavailable, result.Status);
        Assert.Contains(_measurements, m => m.Instrument == "sessioncore.store.failures");
    }

    [Fact]
    public async Task Activities_CarryOnlyCoarseOutcomes()
    {
        ConcurrentQueue<Activity> activities = new();
        using ActivityListener listener = new()
        {
            ShouldListenTo = source => source.Name == SessionCoreTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        SessionManager manager = new SessionManagerBuilder { Store = new InMemorySessionStore() }.Build();

        SessionToken token = (await manager.SignInAsync(new SignInRequest("user-7f3a"), TestContext.Current.CancellationToken)).Value;
        await manager.ValidateAsync(token.Reveal(), TestContext.Current.CancellationToken);
        SessionRegenerationResult regenerated = await manager.RegenerateAsync(token.Reveal(), cancellationToken: TestContext.Current.CancellationToken);

        Activity[] mine = [.. activities];
        Assert.Contains(mine, a => a.OperationName == "SessionCore.Validate" && (string?)a.GetTagItem("sessioncore.outcome") == "Valid");
        Assert.Contains(mine, a => a.OperationName == "SessionCore.Regenerate");
        string[] forbidden = [token.Reveal(), token.Id.ToString(), regenerated.Value.Reveal(), regenerated.Value.Id.ToString(), "user-7f3a"];
        foreach (Activity activity in mine)
        {
            foreach (KeyValuePair<string, object?> tag in activity.TagObjects)
            {
                string text = tag.Value?.ToString() ?? string.Empty;
                Assert.All(forbidden, secret => Assert.DoesNotContain(secret, text, StringComparison.Ordinal));
            }

            Assert.DoesNotContain(token.Id.ToString(), activity.DisplayName, StringComparison.Ordinal);
        }
    }

    public void Dispose() => _listener.Dispose();
}
