#!/usr/bin/env bash
# Fuzzes one parser of WorkloadCredentials with afl-fuzz (AFL++) through SharpFuzz, for a bounded time.
#   fuzz/run.sh <target> [seconds]     targets: profile cmdline process-output imds-json container-json sts-error safetext masker
# Needs: afl++ (apt-get install afl++) and the SharpFuzz CLI (dotnet tool install --global SharpFuzz.CommandLine --version 2.3.0).
# Findings go to fuzz/out/findings/<target>/default/{crashes,hangs}; replay one with
#   dotnet fuzz/out/bin/WorkloadCredentials.Fuzz.dll <target> < <file>
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
target="${1:?usage: run.sh <target> [seconds]}"
seconds="${2:-300}"
corpus="$here/corpus/$target"
[ -d "$corpus" ] || { echo "no seed corpus $corpus" >&2; exit 2; }
export PATH="$PATH:$HOME/.dotnet/tools"
command -v afl-fuzz >/dev/null || { echo "afl-fuzz not found: apt-get install afl++" >&2; exit 2; }
command -v sharpfuzz >/dev/null || { echo "sharpfuzz not found: dotnet tool install --global SharpFuzz.CommandLine --version 2.3.0" >&2; exit 2; }

bin="$here/out/bin"
# Publish into a clean folder and instrument only the library (SharpFuzz refuses to instrument twice).
if [ ! -f "$bin/.instrumented" ] || [ -n "${FUZZ_REBUILD:-}" ]; then
  rm -rf "$bin"
  dotnet publish "$here/WorkloadCredentials.Fuzz" -c Release -o "$bin" >/dev/null
  sharpfuzz "$bin/WorkloadCredentials.dll"
  touch "$bin/.instrumented"
fi

findings="$here/out/findings/$target"
rm -rf "$findings"
mkdir -p "$findings"
# dotnet itself is not instrumented (the library is, through SharpFuzz): skip AFL's binary check. No CPU binding: the cores are shared.
AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
  afl-fuzz -i "$corpus" -o "$findings" -t 10000 -m none -V "$seconds" -- dotnet "$bin/WorkloadCredentials.Fuzz.dll" "$target" >"$findings/afl.log" 2>&1 || true

stats="$findings/default/fuzzer_stats"
[ -f "$stats" ] || { echo "afl-fuzz did not start; see $findings/afl.log" >&2; tail -30 "$findings/afl.log" >&2; exit 1; }
get() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
crashes=$(find "$findings/default/crashes" -type f ! -name README.txt | wc -l)
hangs=$(find "$findings/default/hangs" -type f | wc -l)
echo "$target: run_time=$(get run_time)s execs_done=$(get execs_done) execs_per_sec=$(get execs_per_sec) corpus_count=$(get corpus_count) crashes=$crashes hangs=$hangs"
