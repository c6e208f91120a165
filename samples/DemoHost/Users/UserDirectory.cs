using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace SessionCore.Samples.DemoHost.Users;

/// <summary>The outcome of a password check.</summary>
internal enum CredentialCheck
{
    Valid,
    Invalid,
    LockedOut,
}

/// <summary>
/// The demo's user accounts: user name to password hash, kept in <c>users.json</c> in the data folder.
/// A fresh folder starts with the two demo users; their hashes were computed once, offline, so no password
/// appears in code or data.
/// </summary>
internal sealed class UserDirectory
{
    private const int MaxUserNameLength = 64;

    // alice / alice-password and bob / bob-password (see README): PBKDF2-HMAC-SHA-256, 600 000 iterations.
    private static readonly Dictionary<string, string> s_seed = new(StringComparer.Ordinal)
    {
        ["alice"] = "pbkdf2-sha256$600000$epDsXEDJfv7UP1QwIUJ7Vg==$dFSWTDCXYprkBgSbZokHqcOcSSSs4ZWvLXZMA3MiJnU=",
        ["bob"] = "pbkdf2-sha256$600000$PfDdSJShZ3C7fZj3OTXqbg==$PDHE3DNZ59LD8F34bEBFL1A6LUtgxb0yZ7pQNigsVQU=",
    };

    private readonly string _path;
    private readonly object _gate = new();
    private readonly Dictionary<string, PasswordHash> _users = new(StringComparer.Ordinal);

    private readonly SignInThrottle _throttle;

    public UserDirectory(string dataDirectory, TimeProvider time)
    {
        _throttle = new SignInThrottle(time);
        _path = Path.Combine(dataDirectory, "users.json");
        Dictionary<string, string> stored = File.Exists(_path) ? Read(_path) : s_seed;
        foreach ((string name, string encoded) in stored)
        {
            _users[name] = PasswordHash.TryParse(encoded) ?? throw new InvalidDataException("users.json holds a hash in an unknown format.");
        }

        if (!File.Exists(_path))
        {
            Save();
        }
    }

    /// <summary>Checks a user name and password. Unknown names cost as much as known ones; repeated failures lock the name out for a while.</summary>
    public CredentialCheck Check(string? userName, string? password)
    {
        if (userName is null || userName.Length > MaxUserNameLength)
        {
            _ = PasswordHash.Decoy.Verify(password);
            return CredentialCheck.Invalid;
        }

        if (_throttle.IsLockedOut(userName))
        {
            return CredentialCheck.LockedOut;
        }

        bool valid = Verify(userName, password);
        if (valid)
        {
            _throttle.RecordSuccess(userName);
            return CredentialCheck.Valid;
        }

        _throttle.RecordFailure(userName);
        return CredentialCheck.Invalid;
    }

    private bool Verify(string? userName, string? password)
    {
        PasswordHash? hash = null;
        if (userName is not null && userName.Length <= MaxUserNameLength)
        {
            lock (_gate)
            {
                _users.TryGetValue(userName, out hash);
            }
        }

        bool matches = (hash ?? PasswordHash.Decoy).Verify(password);
        return hash is not null && matches;
    }

    public void SetPassword(string userName, string password)
    {
        PasswordHash hash = PasswordHash.Create(password);
        lock (_gate)
        {
            if (!_users.ContainsKey(userName))
            {
                throw new InvalidOperationException("Unknown user.");
            }

            _users[userName] = hash;
            Save();
        }
    }

    private static Dictionary<string, string> Read(string path)
    {
        using FileStream stream = File.OpenRead(path);
        using JsonDocument document = JsonDocument.Parse(stream);
        Dictionary<string, string> users = new(StringComparer.Ordinal);
        foreach (JsonProperty property in document.RootElement.EnumerateObject())
        {
            users[property.Name] = property.Value.GetString() ?? string.Empty;
        }

        return users;
    }

    private void Save()
    {
        // Written beside the target and moved over it, so a crash never leaves half a file.
        string temporary = _path + ".tmp";
        using (FileStream stream = new(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        using (Utf8JsonWriter writer = new(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            foreach ((string name, PasswordHash hash) in _users)
            {
                writer.WriteString(name, hash.Encode());
            }

            writer.WriteEndObject();
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temporary, _path, overwrite: true);
    }
}
