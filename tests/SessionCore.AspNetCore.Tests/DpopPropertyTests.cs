using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using FsCheck;
using FsCheck.Xunit;
using Xunit;

namespace SessionCore.AspNetCore.Tests;

/// <summary>One DPoP-enabled application and one bound token for every case of the properties.</summary>
public sealed class DpopPropertyFixture : IAsyncLifetime
{
    internal TestApp App { get; private set; } = null!;

    internal DpopTestClient Client { get; private set; } = null!;

    internal string AccessToken { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        App = await TestApp.StartAsync(dpop: _ => { });
        Client = new DpopTestClient(App);
        AccessToken = await SessionCoreBearerHandlerTests.DpopGrantAsync(Client);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
    }
}

/// <summary>
/// Properties of the DPoP-enabled access-token scheme over the whole ASP.NET Core pipeline: a changed request never
/// authenticates, and no field content makes it fail with anything but its documented refusal.
/// </summary>
public sealed class DpopPropertyTests(DpopPropertyFixture fixture) : IClassFixture<DpopPropertyFixture>
{
    private const string Url = DpopTestClient.TestServerOrigin + "/api/me";

    [Property(MaxTest = 150)]
    public async Task<bool> AnyCharacterChangeOfTheTokenOrTheProof_NeverAuthenticates_Holds(bool inProof, PositiveInt position, byte replacement)
    {
        string token = fixture.AccessToken;
        string proof = fixture.Client.Proof("GET", Url, token);
        string target = inProof ? proof : token;
        int at = position.Get % target.Length;
        char changed = (char)(0x21 + (replacement % 94));   // visible ASCII, so the field itself stays sendable
        if (changed == target[at])
        {
            return true;
        }

        string mutated = string.Concat(target.AsSpan(0, at), new string(changed, 1), target.AsSpan(at + 1));
        using HttpResponseMessage response = await DpopTestClient.SendRawAsync(
            fixture.App,
            HttpMethod.Get,
            "/api/me",
            ("Authorization", "DPoP " + (inProof ? token : mutated)),
            ("DPoP", inProof ? mutated : proof));

        // A changed token may no longer parse as a credential (400); everything else is a 401. Never 200, never 500.
        return response.StatusCode is HttpStatusCode.Unauthorized || (!inProof && response.StatusCode is HttpStatusCode.BadRequest);
    }

    [Property(MaxTest = 150)]
    public async Task<bool> AnyDpopFieldText_WithAValidBoundToken_IsInvalidDpopProof_Holds(string? text)
    {
        // Visible ASCII and spaces only: what an HTTP client lets through as a field value.
        string value = new([.. (text ?? string.Empty).Where(c => c is >= ' ' and <= '~')]);
        using HttpResponseMessage response = await DpopTestClient.SendRawAsync(
            fixture.App,
            HttpMethod.Get,
            "/api/me",
            ("Authorization", "DPoP " + fixture.AccessToken),
            ("DPoP", value));

        return response.StatusCode == HttpStatusCode.Unauthorized
            && SessionCoreBearerHandlerTests.Challenge(response) == SessionCoreBearerHandlerTests.InvalidProof;
    }
}
