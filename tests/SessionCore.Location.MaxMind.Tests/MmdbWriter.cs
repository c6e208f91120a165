using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Text;

namespace SessionCore.Location.MaxMind.Tests;

/// <summary>
/// Writes small MaxMind DB files (format 2.0) for tests that need data the shipped test databases do not have: one
/// record per network, a 24-bit record search tree, no data deduplication.
/// </summary>
internal static class MmdbWriter
{
    private static readonly byte[] s_metadataMarker = [0xAB, 0xCD, 0xEF, .. "MaxMind.com"u8];

    /// <summary>Writes a database.</summary>
    /// <param name="path">Where.</param>
    /// <param name="databaseType">For example <c>"GeoLite2-City"</c>.</param>
    /// <param name="ipVersion">4 or 6 (an IPv6 tree holds IPv4 networks under <c>::/96</c>).</param>
    /// <param name="records">Networks and their records (maps of strings, doubles, unsigned integers, lists and maps).</param>
    public static void Write(string path, string databaseType, int ipVersion, IReadOnlyList<(string Network, object Record)> records)
    {
        int bits = ipVersion == 4 ? 32 : 128;
        List<byte[]> data = [];
        List<(bool[] Prefix, int Data)> networks = [];
        foreach ((string network, object record) in records)
        {
            networks.Add((Prefix(network, bits), data.Count));
            data.Add(Encode(record));
        }

        // Build the tree: node 0 is the root; each record is a node index, "empty" (= node count) or a data pointer.
        List<int[]> nodes = [new[] { -1, -1 }];
        List<(int Node, int Side, int Data)> leaves = [];
        foreach ((bool[] prefix, int dataIndex) in networks)
        {
            int node = 0;
            for (int depth = 0; depth < prefix.Length; depth++)
            {
                int side = prefix[depth] ? 1 : 0;
                if (depth == prefix.Length - 1)
                {
                    leaves.Add((node, side, dataIndex));
                    nodes[node][side] = -2;
                    break;
                }

                if (nodes[node][side] < 0)
                {
                    nodes.Add([-1, -1]);
                    nodes[node][side] = nodes.Count - 1;
                }

                node = nodes[node][side];
            }
        }

        int nodeCount = nodes.Count;
        int[] offsets = new int[data.Count];
        int offset = 0;
        for (int i = 0; i < data.Count; i++)
        {
            offsets[i] = offset;
            offset += data[i].Length;
        }

        foreach ((int node, int side, int dataIndex) in leaves)
        {
            nodes[node][side] = nodeCount + 16 + offsets[dataIndex];
        }

        using MemoryStream file = new();
        foreach (int[] node in nodes)
        {
            WriteRecord(file, node[0] < 0 ? nodeCount : node[0]);
            WriteRecord(file, node[1] < 0 ? nodeCount : node[1]);
        }

        file.Write(new byte[16]);
        foreach (byte[] item in data)
        {
            file.Write(item);
        }

        file.Write(s_metadataMarker);
        file.Write(Encode(new Dictionary<string, object>
        {
            ["node_count"] = (uint)nodeCount,
            ["record_size"] = (ushort)24,
            ["ip_version"] = (ushort)ipVersion,
            ["database_type"] = databaseType,
            ["languages"] = new List<object> { "en" },
            ["binary_format_major_version"] = (ushort)2,
            ["binary_format_minor_version"] = (ushort)0,
            ["build_epoch"] = (ulong)1_767_225_600,
            ["description"] = new Dictionary<string, object> { ["en"] = "SessionCore test database" },
        }));
        File.WriteAllBytes(path, file.ToArray());
    }

    /// <summary>A city record as GeoIP2 City files hold it, with only the fields the provider reads.</summary>
    public static Dictionary<string, object> City(string country, string city, double latitude, double longitude, ushort radius) => new()
    {
        ["country"] = new Dictionary<string, object> { ["iso_code"] = country },
        ["city"] = new Dictionary<string, object> { ["names"] = new Dictionary<string, object> { ["en"] = city, ["de"] = city } },
        ["location"] = new Dictionary<string, object> { ["latitude"] = latitude, ["longitude"] = longitude, ["accuracy_radius"] = radius },
    };

    private static bool[] Prefix(string network, int bits)
    {
        string[] parts = network.Split('/');
        byte[] address = IPAddress.Parse(parts[0]).GetAddressBytes();
        int length = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        if (bits == 128 && address.Length == 4)
        {
            address = [.. new byte[12], .. address];
            length += 96;
        }

        bool[] prefix = new bool[length];
        for (int i = 0; i < length; i++)
        {
            prefix[i] = (address[i / 8] & (0x80 >> (i % 8))) != 0;
        }

        return prefix;
    }

    private static void WriteRecord(Stream file, int value)
    {
        file.WriteByte((byte)((value >> 16) & 0xFF));
        file.WriteByte((byte)((value >> 8) & 0xFF));
        file.WriteByte((byte)(value & 0xFF));
    }

    private static byte[] Encode(object value)
    {
        using MemoryStream stream = new();
        Write(stream, value);
        return stream.ToArray();
    }

    private static void Write(Stream s, object value)
    {
        switch (value)
        {
            case string text:
                byte[] utf8 = Encoding.UTF8.GetBytes(text);
                Control(s, 2, utf8.Length);
                s.Write(utf8);
                break;
            case double number:
                Control(s, 3, 8);
                Span<byte> bytes = stackalloc byte[8];
                BinaryPrimitives.WriteDoubleBigEndian(bytes, number);
                s.Write(bytes);
                break;
            case ushort number:
                Unsigned(s, 5, number);
                break;
            case uint number:
                Unsigned(s, 6, number);
                break;
            case ulong number:
                Unsigned(s, 9, number);
                break;
            case Dictionary<string, object> map:
                Control(s, 7, map.Count);
                foreach (KeyValuePair<string, object> entry in map)
                {
                    Write(s, entry.Key);
                    Write(s, entry.Value);
                }

                break;
            case List<object> list:
                Control(s, 11, list.Count);
                foreach (object item in list)
                {
                    Write(s, item);
                }

                break;
            default:
                throw new ArgumentException("Unsupported value type " + value.GetType(), nameof(value));
        }
    }

    private static void Unsigned(Stream s, int type, ulong number)
    {
        int size = 0;
        for (ulong rest = number; rest != 0; rest >>= 8)
        {
            size++;
        }

        Control(s, type, size);
        for (int i = size - 1; i >= 0; i--)
        {
            s.WriteByte((byte)((number >> (8 * i)) & 0xFF));
        }
    }

    private static void Control(Stream s, int type, int size)
    {
        if (size >= 29)
        {
            throw new ArgumentException("Values of 29 or more bytes or entries are not needed by these tests.", nameof(size));
        }

        if (type <= 7)
        {
            s.WriteByte((byte)((type << 5) | size));
        }
        else
        {
            s.WriteByte((byte)size);
            s.WriteByte((byte)(type - 7));
        }
    }
}
