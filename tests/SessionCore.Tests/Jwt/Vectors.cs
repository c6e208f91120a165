using System;
using System.IO;
using System.Text.Json;

namespace SessionCore.Tests.Jwt;

/// <summary>Loads the copied vector files from the test output directory.</summary>
internal static class Vectors
{
    public static JsonDocument Load(string relativePath) =>
        JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Vectors", relativePath)));

    public static JsonElement Rfc(string entry)
    {
        using JsonDocument document = Load(Path.Combine("rfc", "jws_examples.json"));
        return document.RootElement.GetProperty(entry).Clone();
    }

    public static string Str(this JsonElement element, string name) => element.GetProperty(name).GetString()!;
}
