#!/usr/bin/env bash
# Fuzzes one harness of SessionCore.Fuzz under AFL++ for a while.
#
#   tests/SessionCore.Fuzz/fuzz.sh <target> [seconds]      (default 300 s; targets: --list)
#
# Builds the harness in Release into <out>/bin, instruments SessionCore.dll and
# SessionCore.Stores.LiteDb.dll with the sharpfuzz tool from the repository's tool manifest, and runs
# afl-fuzz with corpus/<target>/ as seeds. Crashes land in <out>/findings/default/crashes/; replay one
# with: dotnet <out>/bin/SessionCore.Fuzz.dll --replay <target> <file>. <out> is $FUZZ_OUT or
# tests/SessionCore.Fuzz/out/<target> (ignored by git). Needs afl-fuzz (Debian: apt-get install afl++).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

if [[ $# -lt 1 || $# -gt 2 ]]; then
  echo "usage: $0 <target> [seconds]" >&2
  exit 2
fi
target=$1
seconds=${2:-300}
out=${FUZZ_OUT:-$here/out/$target}
bin=$out/bin

command -v afl-fuzz >/dev/null || { echo "afl-fuzz not found: apt-get install -y afl++" >&2; exit 1; }
[[ -d "$here/corpus/$target" ]] || { echo "no seed corpus at corpus/$target" >&2; exit 1; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
cd "$root"
dotnet tool restore >/dev/null

# A fresh build every time: sharpfuzz rewrites the assemblies in place and refuses to do it twice.
rm -rf "$bin"
dotnet build "$here/SessionCore.Fuzz.csproj" -c Release -o "$bin" -nologo -v quiet -p:TreatWarningsAsErrors=true >/dev/null
dotnet "$bin/SessionCore.Fuzz.dll" --list | grep -q "^$target " || { echo "unknown target $target" >&2; dotnet "$bin/SessionCore.Fuzz.dll" --list >&2; exit 2; }
# The seeds must pass before fuzzing: a failing seed is a bug to fix first, not a finding. (This runs
# before instrumenting: instrumented code needs the fuzzer's shared memory.)
dotnet "$bin/SessionCore.Fuzz.dll" --replay "$target" "$here/corpus/$target"
for dll in SessionCore.dll SessionCore.Stores.LiteDb.dll; do
  dotnet tool run sharpfuzz "$bin/$dll" >/dev/null
done


# dotnet itself is not instrumented (SharpFuzz reports coverage from the managed code), hence
# AFL_SKIP_BIN_CHECK. The CPU-frequency and core_pattern checks only tune or guard local runs.
export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1
export AFL_NO_AFFINITY=${AFL_NO_AFFINITY:-1}
mkdir -p "$out"
dict=()
[[ -f "$here/dictionaries/$target.dict" ]] && dict=(-x "$here/dictionaries/$target.dict")
set +e
afl-fuzz -i "$here/corpus/$target" -o "$out/findings" -t 10000 -m none -V "$seconds" "${dict[@]}" \
  -- dotnet "$bin/SessionCore.Fuzz.dll" "$target" > "$out/afl.log" 2>&1
status=$?
set -e
stats=$out/findings/default/fuzzer_stats
if [[ -f "$stats" ]]; then
  grep -E '^(run_time|execs_done|execs_per_sec|corpus_count|saved_crashes|saved_hangs|bitmap_cvg)' "$stats"
else
  tail -n 30 "$out/afl.log"
fi
crashes=$(find "$out/findings/default/crashes" -type f -name 'id:*' 2>/dev/null | wc -l)
echo "$target: $crashes crash input(s) in $out/findings/default/crashes"
exit $(( status != 0 ? status : (crashes > 0 ? 3 : 0) ))
