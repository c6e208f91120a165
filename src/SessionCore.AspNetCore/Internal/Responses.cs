using System;
using System.Buffers;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace SessionCore.AspNetCore.Internal;

/// <summary>JSON answers written by hand, so nothing depends on reflection-based serialisation (trimming, native AOT).</summary>
internal static class Responses
{
    public static async Task JsonAsync(HttpResponse response, int status, Action<Utf8JsonWriter> write)
    {
        ArrayBufferWriter<byte> buffer = new(256);
        using (Utf8JsonWriter writer = new(buffer))
        {
            write(writer);
        }

        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        await response.Body.WriteAsync(buffer.WrittenMemory).ConfigureAwait(false);
    }

    /// <summary>An OAuth error (RFC 6749 §5.2): the code only, never a description built from input.</summary>
    public static Task ErrorAsync(HttpResponse response, string error, int status = StatusCodes.Status400BadRequest) =>
        JsonAsync(response, status, w =>
        {
            w.WriteStartObject();
            w.WriteString("error", error);
            w.WriteEndObject();
        });

    /// <summary>RFC 6749 §5.1: token responses are neither stored nor cached.</summary>
    public static void NoStore(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
    }
}
