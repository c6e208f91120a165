using System;
using System.Threading;
using MaxMind.Db;

namespace SessionCore.Location.MaxMind.Internal;

/// <summary>
/// One open reader with a reference count: the slot holds one reference while the reader is current, each lookup
/// one while it runs. The reader is disposed when the last reference goes, so a lookup that started before a reload
/// finishes on the old file and the old mapping is released right after.
/// </summary>
internal sealed class ReaderLease
{
    private int _references = 1;

    public ReaderLease(Reader reader, FileStamp stamp, MaxMindDatabaseInfo info)
    {
        Reader = reader;
        Stamp = stamp;
        Info = info;
    }

    public Reader Reader { get; }

    public FileStamp Stamp { get; }

    public MaxMindDatabaseInfo Info { get; }

    /// <summary>Takes a reference, unless the reader is already being disposed.</summary>
    public bool TryAcquire()
    {
        int seen = Volatile.Read(ref _references);
        while (seen > 0)
        {
            int previous = Interlocked.CompareExchange(ref _references, seen + 1, seen);
            if (previous == seen)
            {
                return true;
            }

            seen = previous;
        }

        return false;
    }

    public void Release()
    {
        int left = Interlocked.Decrement(ref _references);
        if (left == 0)
        {
            Reader.Dispose();
        }
        else if (left < 0)
        {
            throw new InvalidOperationException("A reader lease was released more often than it was acquired.");
        }
    }
}
