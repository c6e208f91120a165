using System.Collections.Generic;

namespace SessionCore.Fuzz;

public static partial class FuzzTargets
{
    private static IEnumerable<FuzzTarget> JwtTargets() => [];
}
