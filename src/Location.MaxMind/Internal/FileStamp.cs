using System;
using System.IO;

namespace SessionCore.Location.MaxMind.Internal;

/// <summary>What tells a replaced file from the one in service: its length and last modification time.</summary>
internal readonly record struct FileStamp(long Length, DateTime LastWriteTimeUtc)
{
    /// <summary>Reads the stamp of a file, or <see langword="null"/> when it cannot be read (missing, for instance).</summary>
    public static FileStamp? Of(string path)
    {
        try
        {
            FileInfo info = new(path);
            return info.Exists ? new FileStamp(info.Length, info.LastWriteTimeUtc) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
