using System;
using System.Linq;
using System.Net.Http;
using System.Reflection;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SessionCore.AspNetCore;
using SessionCore.AspNetCore.Authentication;
using SessionCore.Sessions;

// A Kestrel host on a free loopback port, through the packages alone, that then calls itself over HTTP: sign-in,
// an authenticated request, a sign-out refused without the CSRF token, sign-out, the old cookie refused. Every step
// prints one "step: outcome" line that PackageConsumerTests asserts; the exit code is 0 when it ran to the end.
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: PackageConsumer <database file>");
    return 2;
}

const string Origin = "https://app.example";
WebApplicationBuilder builder = WebApplication.CreateBuilder();
builder.WebHost.UseUrls("http://127.0.0.1:0");
builder.Logging.ClearProviders();
builder.Services.AddSessionCore()
    .AddLiteDbStore(o => o.FilePath = args[0])
    .AddCsrfProtection(o => o.ExpectedOrigin = Origin);
builder.Services.AddAuthentication(SessionCookieDefaults.AuthenticationScheme).AddSessionCookie();

await using WebApplication app = builder.Build();
app.UseSessionCoreUrlTokenGuard();
app.UseAuthentication();
app.UseAuthorization();
app.UseSessionCoreCsrf();
app.MapPost("/login", async (HttpContext http) =>
    (await http.SignInSessionAsync("alice")).IsSuccess ? Results.Text(http.GetCsrfToken()) : Results.Unauthorized())
    .RequireSameOrigin();
app.MapGet("/me", (HttpContext http) => http.GetSession()!.UserId).RequireAuthorization();
// A block body: an expression-bodied async lambda that only calls a method would bind as a RequestDelegate and lose its result.
app.MapPost("/logout", async (HttpContext http) =>
{
    SessionOperationStatus status = await http.SignOutSessionAsync();
    return status.ToString();
}).RequireAuthorization();

await app.StartAsync();
Uri address = new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
Console.WriteLine($"aspnetcore-version: {typeof(SessionCookieDefaults).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion}");
Console.WriteLine($"listening: {(address.IsLoopback && address.Port > 0 ? "loopback" : address.ToString())}");
using HttpClient client = new() { BaseAddress = address };

Console.WriteLine($"anonymous: {await SendAsync(HttpMethod.Get, "/me", cookie: null, csrf: null)}");
using (HttpRequestMessage login = Request(HttpMethod.Post, "/login", cookie: null, csrf: null))
{
    using HttpResponseMessage response = await client.SendAsync(login);
    string csrf = await response.Content.ReadAsStringAsync();
    // __Host- cookies are Secure, which a cookie container keeps off plain HTTP; carry it by hand.
    string? cookie = response.Headers.TryGetValues("Set-Cookie", out var values)
        ? values.FirstOrDefault(v => v.StartsWith("__Host-session=", StringComparison.Ordinal))?.Split(';')[0]
        : null;
    Console.WriteLine($"sign-in: {(int)response.StatusCode} {(cookie is null ? "no cookie" : "__Host-session")}");
    if (cookie is null)
    {
        return 1;
    }

    Console.WriteLine($"me: {await SendAsync(HttpMethod.Get, "/me", cookie, csrf: null)}");
    Console.WriteLine($"sign-out-without-csrf: {await SendAsync(HttpMethod.Post, "/logout", cookie, csrf: null)}");
    Console.WriteLine($"sign-out: {await SendAsync(HttpMethod.Post, "/logout", cookie, csrf)}");
    Console.WriteLine($"me-after-sign-out: {await SendAsync(HttpMethod.Get, "/me", cookie, csrf: null)}");
}

await app.StopAsync();
Console.WriteLine("done");
return 0;

HttpRequestMessage Request(HttpMethod method, string path, string? cookie, string? csrf)
{
    HttpRequestMessage request = new(method, path);
    if (cookie is not null)
    {
        request.Headers.Add("Cookie", cookie);
    }

    if (csrf is not null)
    {
        request.Headers.Add("X-CSRF-Token", csrf);
    }

    if (method != HttpMethod.Get)
    {
        request.Headers.Add("Origin", Origin);
        request.Headers.Add("Sec-Fetch-Site", "same-origin");
    }

    return request;
}

async Task<string> SendAsync(HttpMethod method, string path, string? cookie, string? csrf)
{
    using HttpRequestMessage request = Request(method, path, cookie, csrf);
    using HttpResponseMessage response = await client.SendAsync(request);
    string body = await response.Content.ReadAsStringAsync();
    return body.Length == 0 ? $"{(int)response.StatusCode}" : $"{(int)response.StatusCode} {body}";
}
