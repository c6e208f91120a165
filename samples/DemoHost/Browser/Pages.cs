using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using SessionCore.Risk;
using SessionCore.Samples.DemoHost.Hosting;
using SessionCore.Sessions;

namespace SessionCore.Samples.DemoHost.Browser;

/// <summary>The browser pages: plain forms, each state change carrying its own freshly masked CSRF token.</summary>
internal static class Pages
{
    public static string SignIn(string? error = null)
    {
        StringBuilder body = new();
        body.Append("<section><h1>Sign in</h1>");
        if (error is not null)
        {
            body.Append("<p class=\"error\" id=\"error\">").Append(HtmlPage.Encode(error)).Append("</p>");
        }

        body.Append("<form class=\"stack\" method=\"post\" action=\"/login\" id=\"login\">")
            .Append("<label>User name <input type=\"text\" name=\"username\" autocomplete=\"username\" required maxlength=\"64\"></label>")
            .Append("<label>Password <input type=\"password\" name=\"password\" autocomplete=\"current-password\" required maxlength=\"256\"></label>")
            .Append("<button type=\"submit\">Sign in</button></form></section>");
        return HtmlPage.Layout("Sign in", body.ToString());
    }

    public static string Home(Session session, IReadOnlyList<SessionSummary> sessions, Func<string> csrf, SignInRiskAction riskAction)
    {
        StringBuilder body = new();
        body.Append("<h1 id=\"greeting\">Signed in as ").Append(HtmlPage.Encode(session.UserId)).Append("</h1>");
        if (riskAction >= SignInRiskAction.Notify)
        {
            // The reasons the host maps to "tell the user": said in words, with the place as far as known.
            body.Append("<section class=\"notice\" id=\"unusual-sign-in\"><h2>Unusual sign-in</h2><p>This sign-in ")
                .Append(HtmlPage.Encode(Describe(session.SignInRisk)))
                .Append(session.Location is { } place ? " It came from " + HtmlPage.Encode(place.ToString()) + "." : string.Empty)
                .Append(" If it was not you, change your password: that signs out every other session.</p></section>");
        }

        body.Append("<section><h2>This session</h2><dl>")
            .Append("<dt>Session id</dt><dd><code>").Append(HtmlPage.Encode(Abbreviate(session.Id.ToString()))).Append("</code></dd>")
            .Append("<dt>Signed in</dt><dd>").Append(Time(session.CreatedAt)).Append("</dd>")
            .Append("<dt>Authenticated</dt><dd>").Append(Time(session.AuthenticatedAt)).Append("</dd>")
            .Append("<dt>Level</dt><dd><span class=\"pill\" id=\"level\">").Append(session.AuthenticationLevel.ToString(CultureInfo.InvariantCulture))
            .Append(session.AuthenticationLevel > 1 ? " · stepped up" : string.Empty).Append("</span></dd>")
            .Append("<dt>Expires</dt><dd>").Append(Time(session.AbsoluteExpiresAt)).Append(" at the latest</dd>")
            .Append("</dl></section>");

        body.Append("<section><h2>Your sessions</h2><table id=\"sessions\"><thead><tr><th>Device</th><th>Network</th><th>Place</th><th>Signed in</th><th>Last seen</th><th></th></tr></thead><tbody>");
        foreach (SessionSummary s in sessions)
        {
            body.Append("<tr><td>").Append(HtmlPage.Encode(s.Device)).Append(s.IsCurrent ? " <span class=\"pill\">this browser</span>" : string.Empty)
                .Append("</td><td>").Append(HtmlPage.Encode(s.Network ?? "unknown"))
                .Append("</td><td class=\"place\">").Append(HtmlPage.Encode(Place(s.Location)))
                .Append("</td><td>").Append(Time(s.CreatedAt))
                .Append("</td><td>").Append(Time(s.LastSeenAt)).Append("</td><td>");
            if (!s.IsCurrent)
            {
                body.Append("<form method=\"post\" action=\"/sessions/revoke\">").Append(Csrf(csrf()))
                    .Append("<input type=\"hidden\" name=\"session\" value=\"").Append(HtmlPage.Encode(s.Id.ToString())).Append("\">")
                    .Append("<button class=\"danger\" type=\"submit\">Revoke</button></form>");
            }

            body.Append("</td></tr>");
        }

        body.Append("</tbody></table><p></p><form method=\"post\" action=\"/sessions/revoke-others\" id=\"revoke-others\">").Append(Csrf(csrf()))
            .Append("<button class=\"secondary\" type=\"submit\">Sign out everywhere else</button></form></section>");

        body.Append("<div class=\"row\">");
        body.Append("<section><h2>Step up</h2><p class=\"muted\">Confirm your password for sensitive actions; the session gets a new identifier.</p>")
            .Append("<form class=\"stack\" method=\"post\" action=\"/elevate\" id=\"elevate\">").Append(Csrf(csrf()))
            .Append("<label>Password <input type=\"password\" name=\"password\" autocomplete=\"current-password\" required maxlength=\"256\"></label>")
            .Append("<button type=\"submit\">Confirm</button></form></section>");
        body.Append("<section><h2>Change password</h2><p class=\"muted\">Signs out every other session.</p>")
            .Append("<form class=\"stack\" method=\"post\" action=\"/password\" id=\"password\">").Append(Csrf(csrf()))
            .Append("<label>Current password <input type=\"password\" name=\"current\" autocomplete=\"current-password\" required maxlength=\"256\"></label>")
            .Append("<label>New password <input type=\"password\" name=\"new\" autocomplete=\"new-password\" required minlength=\"12\" maxlength=\"256\"></label>")
            .Append("<button type=\"submit\">Change</button></form></section>");
        body.Append("</div>");

        body.Append("<section><form method=\"post\" action=\"/logout\" id=\"logout\">").Append(Csrf(csrf()))
            .Append("<button class=\"danger\" type=\"submit\">Sign out</button></form></section>");
        return HtmlPage.Layout("Your account", body.ToString());
    }

    // City and country only, as far as known.
    private static string Place(CoarseLocation? place) => place is null || (place.City is null && place.CountryCode is null) ? "unknown" : place.ToString();

    private static string Describe(SignInRiskReason reasons)
    {
        List<string> parts = [];
        if ((reasons & SignInRiskReason.NewDevice) != 0)
        {
            parts.Add("came from a device not seen before");
        }

        if ((reasons & SignInRiskReason.NewCountry) != 0)
        {
            parts.Add("came from a country not seen before");
        }

        if ((reasons & SignInRiskReason.NewAutonomousSystem) != 0)
        {
            parts.Add("came through a network operator not seen before");
        }

        if ((reasons & SignInRiskReason.ImpossibleTravel) != 0)
        {
            parts.Add("is too far from where you were last seen to have travelled in the time since");
        }

        if ((reasons & SignInRiskReason.LocationUnknown) != 0)
        {
            parts.Add("came from a place we could not locate");
        }

        return parts.Count == 0 ? "looked unusual." : string.Join("; ", parts) + ".";
    }

    private static string Csrf(string token) =>
        "<input type=\"hidden\" name=\"" + BrowserGuard.CsrfField + "\" value=\"" + HtmlPage.Encode(token) + "\">";

    private static string Time(DateTimeOffset value) => HtmlPage.Encode(value.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture));

    // The page shows a prefix of the (hashed) id to tell sessions apart; the full value is in /api/session.
    private static string Abbreviate(string id) => id.Length > 12 ? id[..12] + "…" : id;
}
