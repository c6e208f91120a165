using System;

namespace SessionCore.Location.MaxMind;

/// <summary>What is known of an open MaxMind DB file, for start-up logs and health checks (for example "the database is 40 days old").</summary>
/// <param name="Path">The file.</param>
/// <param name="DatabaseType">The type the file declares, for example <c>"GeoLite2-City"</c>.</param>
/// <param name="BuildDate">When MaxMind built the file.</param>
/// <param name="IPVersion">4 for an IPv4-only file, 6 for a file that covers both families.</param>
public sealed record MaxMindDatabaseInfo(string Path, string DatabaseType, DateTimeOffset BuildDate, int IPVersion);
