#!/usr/bin/env bash
# Records the current public surface of every src/ project in its .PublicAPI/PublicAPI.Unshipped.txt,
# as the analyzer's code fix would: builds, collects the RS0016/RS0017 diagnostics and rewrites the file.
# Review the diff before committing: every line is a public API promise.
set -euo pipefail
cd "$(dirname "$0")/.."
for proj in src/*/; do
  [[ -f "$proj/.PublicAPI/PublicAPI.Shipped.txt" ]] || continue
done
log=$(mktemp)
dotnet build SessionCore.sln -p:TreatWarningsAsErrors=false -p:WarningsAsErrors= 2>&1 > "$log" || true
python3 - "$log" <<'PY'
import re, sys, os, collections
added = collections.defaultdict(set)
removed = collections.defaultdict(set)
pat = re.compile(r"^(.*?)\(\d+,\d+\): (?:warning|error) (RS0016|RS0017): Symbol '(.*)' is (?:not part of the declared public API|part of the declared API, but is either not public or could not be found).*\[(.*\.csproj)")
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    m = pat.match(line.strip())
    if not m:
        continue
    proj = os.path.dirname(m.group(4))
    (added if m.group(2) == "RS0016" else removed)[proj].add(m.group(3))
for proj in set(added) | set(removed):
    path = os.path.join(proj, ".PublicAPI", "PublicAPI.Unshipped.txt")
    lines = [l.rstrip("\n") for l in open(path, encoding="utf-8")] if os.path.exists(path) else []
    body = [l for l in lines if l and not l.startswith("#nullable") and l not in removed[proj]]
    body = sorted(set(body) | added[proj], key=lambda s: s.replace("~", ""))
    with open(path, "w", encoding="utf-8") as f:
        f.write("#nullable enable\n" + "".join(l + "\n" for l in body))
    print(f"{path}: +{len(added[proj])} -{len(removed[proj])}")
PY
