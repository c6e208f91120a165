using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace SessionCore.Samples.DemoHost.Hosting;

/// <summary>The page frame. Everything interpolated goes through <see cref="Encode"/>; the pages carry no script.</summary>
internal static class HtmlPage
{
    public static string Encode(string? value) => HtmlEncoder.Default.Encode(value ?? string.Empty);

    public static string Layout(string title, string body)
    {
        StringBuilder html = new();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(Encode(title)).Append(" · SessionCore demo</title>")
            .Append("<link rel=\"stylesheet\" href=\"/app.css\"></head><body><main>")
            .Append("<header><span class=\"brand\">SessionCore</span> <span class=\"muted\">demo host</span></header>")
            .Append(body)
            .Append("</main></body></html>\n");
        return html.ToString();
    }

    public static string Error(int status, string code) =>
        Layout("Error", string.Create(CultureInfo.InvariantCulture, $"<h1>Request refused</h1><p class=\"error\">{status} · {Encode(code)}</p><p><a href=\"/\">Back to the start page</a></p>"));

    public const string Stylesheet = """
        :root { color-scheme: light; --ink: #1d2430; --muted: #5b6575; --line: #d8dde6; --accent: #2458d3; --bad: #b42318; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #f4f6fa; }
        main { max-width: 860px; margin: 32px auto; padding: 0 20px; }
        header { margin-bottom: 20px; font-size: 18px; }
        .brand { font-weight: 700; color: var(--accent); }
        .muted { color: var(--muted); }
        h1 { font-size: 24px; margin: 0 0 12px; }
        h2 { font-size: 17px; margin: 0 0 10px; }
        section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 18px 20px; margin-bottom: 16px; }
        form { margin: 0; }
        form.stack label { display: block; margin: 0 0 10px; }
        form.stack input[type=text], form.stack input[type=password] { display: block; width: 100%; max-width: 320px; padding: 7px 9px; border: 1px solid var(--line); border-radius: 6px; font: inherit; }
        .row { display: flex; flex-wrap: wrap; gap: 16px; }
        .row > section { flex: 1 1 260px; }
        button { font: inherit; padding: 6px 14px; border-radius: 6px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; }
        button.secondary { background: #fff; color: var(--accent); }
        button.danger { border-color: var(--bad); background: #fff; color: var(--bad); }
        table { width: 100%; border-collapse: collapse; font-size: 14px; }
        th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: middle; }
        th { color: var(--muted); font-weight: 600; }
        code { font-size: 12px; background: #eef1f6; padding: 1px 4px; border-radius: 4px; }
        dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
        dt { color: var(--muted); }
        dd { margin: 0; }
        .pill { display: inline-block; padding: 0 8px; border-radius: 10px; background: #e3ecff; color: var(--accent); font-size: 12px; }
        .error { color: var(--bad); }
        .notice { border-left: 4px solid var(--bad); }
        """;
}
