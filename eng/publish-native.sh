#!/usr/bin/env bash
# Publishes the workload-credentials CLI as a native AOT executable (no .NET runtime needed on the machine that runs it).
#   eng/publish-native.sh [runtime identifier, default linux-x64] [output folder, default artifacts/native/<rid>]
# Needs clang and zlib (Debian: apt-get install clang zlib1g-dev). Trim and AOT warnings fail the build (warnings are errors).
# The result is one file, <output>/workload-credentials, with its debug symbols beside it (workload-credentials.dbg).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rid=${1:-linux-x64}
out=${2:-$root/artifacts/native/$rid}
command -v clang >/dev/null || { echo "clang is missing: apt-get install clang zlib1g-dev"; exit 1; }
dotnet publish "$root/src/WorkloadCredentials.Tool" -c Release -r "$rid" -p:PublishAot=true -p:PackAsTool=false -o "$out" --nologo
rm -f "$out"/*.xml "$out"/WorkloadCredentials.pdb
echo "native CLI: $out/workload-credentials"
