using System;
using System.Buffers;
using System.IO;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace SessionCore.Samples.DemoHost.Hosting;

/// <summary>One request and its response: bounded body reading, form parsing and response writers.</summary>
internal sealed class RequestContext
{
    /// <summary>The largest request body read; anything longer is refused with 413 before it is buffered.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    private static readonly JsonWriterOptions s_json = new() { Encoder = JavaScriptEncoder.Default };
    private readonly HttpListenerContext _inner;
    private FormData? _form;

    public RequestContext(HttpListenerContext inner, CancellationToken cancellationToken)
    {
        _inner = inner;
        CancellationToken = cancellationToken;
        Method = inner.Request.HttpMethod;
        string raw = inner.Request.RawUrl ?? "/";
        int query = raw.IndexOfAny(['?', '#']);
        Path = query < 0 ? raw : raw[..query];
    }

    public string Method { get; }

    /// <summary>The path exactly as sent, without the query (routing is exact; nothing is decoded).</summary>
    public string Path { get; }

    public string? RawUrl => _inner.Request.RawUrl;

    public CancellationToken CancellationToken { get; }

    public IPAddress? RemoteAddress => _inner.Request.RemoteEndPoint?.Address;

    public bool HasStarted { get; private set; }

    public string? Header(string name) => _inner.Request.Headers[name];

    /// <summary>Every value of a header field sent more than once (for example <c>DPoP</c>, which must be sent once).</summary>
    public string[]? HeaderValues(string name) => _inner.Request.Headers.GetValues(name);

    public bool AcceptsHtml => Header("Accept")?.Contains("text/html", StringComparison.OrdinalIgnoreCase) == true;

    public void SetHeader(string name, string value) => _inner.Response.Headers[name] = value;

    public void RemoveHeader(string name) => _inner.Response.Headers.Remove(name);

    public void AddSetCookie(string value) => _inner.Response.Headers.Add("Set-Cookie", value);

    /// <summary>Reads the body as a form. On failure the error response is written and <see langword="null"/> returned.</summary>
    public async Task<FormData?> ReadFormAsync()
    {
        if (_form is not null)
        {
            return _form;
        }

        HttpListenerRequest request = _inner.Request;
        if (request.ContentLength64 > MaxBodyBytes)
        {
            await WriteErrorAsync(413, "request_too_large", closeConnection: true);
            return null;
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(MaxBodyBytes + 1);
        try
        {
            int length = 0;
            if (request.HasEntityBody)
            {
                Stream body = request.InputStream;
                int read;
                while (length <= MaxBodyBytes && (read = await body.ReadAsync(buffer.AsMemory(length, MaxBodyBytes + 1 - length), CancellationToken)) > 0)
                {
                    length += read;
                }

                if (length > MaxBodyBytes)
                {
                    await WriteErrorAsync(413, "request_too_large", closeConnection: true);
                    return null;
                }
            }

            if (length == 0)
            {
                return _form = FormData.Empty;
            }

            string? contentType = request.ContentType;
            string mediaType = contentType is null ? string.Empty : contentType.Split(';')[0].Trim();
            if (!mediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
            {
                await WriteErrorAsync(415, "unsupported_media_type");
                return null;
            }

            _form = FormData.TryParse(buffer.AsSpan(0, length));
            if (_form is null)
            {
                await WriteErrorAsync(400, "invalid_request");
            }

            return _form;
        }
        finally
        {
            // Bodies carry passwords and tokens: clear them before the buffer goes back to the pool.
            Array.Clear(buffer);
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public Task WriteJsonAsync(int status, Action<Utf8JsonWriter> write)
    {
        ArrayBufferWriter<byte> buffer = new();
        using (Utf8JsonWriter writer = new(buffer, s_json))
        {
            write(writer);
        }

        return WriteBodyAsync(status, "application/json; charset=utf-8", buffer.WrittenMemory);
    }

    public Task WriteHtmlAsync(int status, string html) =>
        WriteBodyAsync(status, "text/html; charset=utf-8", Encoding.UTF8.GetBytes(html));

    public Task WriteTextAsync(int status, string contentType, string text) =>
        WriteBodyAsync(status, contentType, Encoding.UTF8.GetBytes(text));

    public Task RedirectAsync(string location)
    {
        SetHeader("Location", location);
        return WriteBodyAsync(303, null, ReadOnlyMemory<byte>.Empty);
    }

    public Task WriteStatusAsync(int status) => WriteBodyAsync(status, null, ReadOnlyMemory<byte>.Empty);

    /// <summary>An error with a fixed, coarse code: an HTML page for browser navigations, else JSON <c>{"error": code}</c>.</summary>
    public Task WriteErrorAsync(int status, string code, bool closeConnection = false)
    {
        if (closeConnection)
        {
            _inner.Response.KeepAlive = false;
        }

        if (AcceptsHtml)
        {
            return WriteHtmlAsync(status, HtmlPage.Error(status, code));
        }

        return WriteJsonAsync(status, w =>
        {
            w.WriteStartObject();
            w.WriteString("error", code);
            w.WriteEndObject();
        });
    }

    /// <summary>Too many failed password checks for this user name: 429 with <c>Retry-After</c>.</summary>
    public Task WriteLockedOutAsync(TimeSpan retryAfter)
    {
        SetHeader("Retry-After", ((long)retryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
        return WriteErrorAsync(429, "too_many_attempts");
    }

    /// <summary>The last-resort answer when a handler failed: a bare 500 that reveals nothing, if nothing was sent yet.</summary>
    public void Fail()
    {
        try
        {
            if (!HasStarted)
            {
                HasStarted = true;
                HttpListenerResponse response = _inner.Response;
                response.StatusCode = 500;
                response.Headers.Remove("Set-Cookie");
                response.Headers.Remove("Location");
                response.ContentType = "application/json; charset=utf-8";
                byte[] body = "{\"error\":\"server_error\"}"u8.ToArray();
                response.ContentLength64 = body.Length;
                response.OutputStream.Write(body);
            }
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The client is gone or the response was half written; closing below aborts it.
        }
    }

    public void Close()
    {
        try
        {
            _inner.Response.Close();
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            _inner.Response.Abort();
        }
    }

    private async Task WriteBodyAsync(int status, string? contentType, ReadOnlyMemory<byte> body)
    {
        if (HasStarted)
        {
            throw new InvalidOperationException("A response was already written.");
        }

        HasStarted = true;
        HttpListenerResponse response = _inner.Response;
        response.StatusCode = status;
        if (contentType is not null)
        {
            response.ContentType = contentType;
        }

        response.ContentLength64 = body.Length;
        if (body.Length > 0)
        {
            await response.OutputStream.WriteAsync(body, CancellationToken);
        }
    }
}
