using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using MaxMind.Db;

namespace SessionCore.Location.MaxMind.Internal;

/// <summary>
/// One configured database file: the reader in service, swapped atomically when the file is replaced by a file that
/// passes verification.
/// </summary>
/// <typeparam name="TRecord">The record type read from this kind of file.</typeparam>
internal sealed class DatabaseSlot<TRecord> : IDisposable
    where TRecord : class
{
    /// <summary>How many records are decoded when a file is opened, to find a corrupt search tree or data section at start-up.</summary>
    internal const int VerifiedRecords = 1_000;

    private readonly string _kind;
    private readonly Func<string, bool> _acceptsType;
    private readonly Lock _reloadLock = new();
    private ReaderLease? _current;
    private FileStamp? _rejected;

    private DatabaseSlot(string path, string kind, Func<string, bool> acceptsType, ReaderLease lease)
    {
        Path = path;
        _kind = kind;
        _acceptsType = acceptsType;
        _current = lease;
    }

    public string Path { get; }

    public MaxMindDatabaseInfo Info => (Volatile.Read(ref _current) ?? throw new ObjectDisposedException(nameof(MaxMindLocationProvider))).Info;

    /// <summary>Opens and verifies a file.</summary>
    /// <exception cref="MaxMindDatabaseException">The file is missing, unreadable, truncated, corrupt or of another kind.</exception>
    public static DatabaseSlot<TRecord> Open(string path, string kind, Func<string, bool> acceptsType) =>
        new(path, kind, acceptsType, OpenLease(path, kind, acceptsType));

    /// <summary>Finds the record of an address in the file in service.</summary>
    /// <exception cref="ObjectDisposedException">The slot is disposed.</exception>
    /// <exception cref="InvalidDatabaseException">The file is corrupt where this address leads.</exception>
    public TRecord? Find(IPAddress address)
    {
        while (true)
        {
            ReaderLease lease = Volatile.Read(ref _current) ?? throw new ObjectDisposedException(nameof(MaxMindLocationProvider));
            if (!lease.TryAcquire())
            {
                // Swapped out and released between the read and the acquire: the next read sees its successor.
                continue;
            }

            try
            {
                if (address.AddressFamily == AddressFamily.InterNetworkV6 && lease.Info.IPVersion == 4)
                {
                    return null;
                }

                return lease.Reader.Find<TRecord>(address);
            }
            finally
            {
                lease.Release();
            }
        }
    }

    /// <summary>Swaps in the file at <see cref="Path"/> when it differs from the one in service.</summary>
    /// <returns><see langword="true"/> when a new file was swapped in.</returns>
    /// <exception cref="MaxMindDatabaseException">The replacement is broken; the previous file stays in service.</exception>
    public bool ReloadIfChanged()
    {
        lock (_reloadLock)
        {
            ReaderLease current = Volatile.Read(ref _current) ?? throw new ObjectDisposedException(nameof(MaxMindLocationProvider));
            FileStamp? stamp = FileStamp.Of(Path);
            if (stamp is null || stamp == current.Stamp || stamp == _rejected)
            {
                // Missing for a moment (a rename in progress) or unchanged: keep what is in service.
                return false;
            }

            ReaderLease next;
            try
            {
                next = OpenLease(Path, _kind, _acceptsType);
            }
            catch (MaxMindDatabaseException)
            {
                // Not retried until the file changes again.
                _rejected = stamp;
                throw;
            }

            _rejected = null;
            ReaderLease? previous = Interlocked.Exchange(ref _current, next);
            previous?.Release();
            return true;
        }
    }

    public void Dispose()
    {
        lock (_reloadLock)
        {
            Interlocked.Exchange(ref _current, null)?.Release();
        }
    }

    private static ReaderLease OpenLease(string path, string kind, Func<string, bool> acceptsType)
    {
        // Stamp first: if the file is replaced while it is being opened, the next check sees a new stamp and reloads.
        FileStamp? stamp = FileStamp.Of(path);
        Reader reader;
        try
        {
            reader = new Reader(path, FileAccessMode.MemoryMapped);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw Failure(path, kind, MaxMindDatabaseProblem.Missing, ex);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw Failure(path, kind, MaxMindDatabaseProblem.Unreadable, ex);
        }
        catch (Exception ex) when (ex is InvalidDatabaseException or DeserializationException or ArgumentException)
        {
            throw Failure(path, kind, MaxMindDatabaseProblem.Truncated, ex);
        }

        try
        {
            string type = reader.Metadata.DatabaseType ?? string.Empty;
            if (!acceptsType(type))
            {
                throw new MaxMindDatabaseException(path, MaxMindDatabaseProblem.WrongKind, Error.Problem(kind, path, MaxMindDatabaseProblem.WrongKind, type), null);
            }

            Verify(reader, path, kind);
            MaxMindDatabaseInfo info = new(path, type, new DateTimeOffset(reader.Metadata.BuildDate, TimeSpan.Zero), reader.Metadata.IPVersion);
            return new ReaderLease(reader, stamp ?? default, info);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Walks the search tree and decodes the first records. A lookup only touches the nodes on its path, so a corrupt
    /// file would otherwise open cleanly and fail on the first sign-in; this finds a broken tree or data encoding at
    /// start-up, at a bounded cost (milliseconds on a full GeoLite2 City file).
    /// </summary>
    private static void Verify(Reader reader, string path, string kind)
    {
        try
        {
            int count = 0;
            foreach (Reader.ReaderIteratorNode<TRecord> node in reader.FindAll<TRecord>(null, 64))
            {
                if (++count == VerifiedRecords)
                {
                    break;
                }
            }

            if (count == 0)
            {
                throw new InvalidDatabaseException("The database holds no record.");
            }
        }
        catch (Exception ex) when (ex is InvalidDatabaseException or DeserializationException or InvalidCastException or ArgumentException or IndexOutOfRangeException)
        {
            throw Failure(path, kind, MaxMindDatabaseProblem.Corrupt, ex);
        }
    }

    private static MaxMindDatabaseException Failure(string path, string kind, MaxMindDatabaseProblem problem, Exception inner) =>
        new(path, problem, Error.Problem(kind, path, problem), inner);
}
