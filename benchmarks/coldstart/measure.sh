#!/usr/bin/env bash
# Cold start of `export --format process`, side by side in one hyperfine run (issue "Shippable", item 5):
#   - the native AOT CLI (eng/publish-native.sh),
#   - the .NET tool, packed and installed with `dotnet tool install --tool-path`, as a user installs it,
#   - botocore's get_frozen_credentials (the resolution the AWS CLI and boto3 run),
#   - `aws configure export-credentials`, when the installed AWS CLI has it (v2 only).
# Every contender resolves the same environment keys (no file, no network: IMDS disabled, config files absent), so the figure is the
# start of the process plus a resolution that reads nothing but the environment.
#   benchmarks/coldstart/measure.sh [runs, default 50]   -> writes benchmarks/results/coldstart.md (hyperfine's markdown) and prints it
# Needs hyperfine (apt-get install hyperfine), clang and zlib (for the native build), python3 with botocore.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
runs=${1:-50}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v hyperfine >/dev/null || { echo "hyperfine is missing: apt-get install hyperfine"; exit 1; }
python3 -c 'import botocore' 2>/dev/null || { echo "botocore is missing: pip install botocore"; exit 1; }

bash "$root/eng/publish-native.sh" linux-x64 "$work/native" >"$work/native.log" 2>&1 || { tail -20 "$work/native.log"; exit 1; }
version="0.1.0-coldstart.$(date +%s)"
dotnet pack "$root/src/WorkloadCredentials.Tool" -c Release -o "$work/feed" -p:VersionSuffix="${version#0.1.0-}" --nologo >"$work/pack.log" 2>&1 \
  && dotnet pack "$root/src/WorkloadCredentials" -c Release -o "$work/feed" -p:VersionSuffix="${version#0.1.0-}" --nologo >>"$work/pack.log" 2>&1 \
  || { tail -20 "$work/pack.log"; exit 1; }
dotnet tool install WorkloadCredentials.Tool --version "$version" --tool-path "$work/tool" --add-source "$work/feed" >"$work/install.log" 2>&1 \
  || { cat "$work/install.log"; exit 1; }
cat >"$work/botocore_export.py" <<'PY'
import json, botocore.session
c = botocore.session.get_session().get_credentials().get_frozen_credentials()
print(json.dumps({"Version": 1, "AccessKeyId": c.access_key, "SecretAccessKey": c.secret_key}))
PY

export AWS_ACCESS_KEY_ID=AKIDCOLDSTART000001 AWS_SECRET_ACCESS_KEY=coldstart-secret-not-real-000001 AWS_REGION=us-east-1
export AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE="$work/none" AWS_SHARED_CREDENTIALS_FILE="$work/none"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

commands=(-n native "$work/native/workload-credentials export --format process"
          -n dotnet-tool "$work/tool/workload-credentials export --format process"
          -n botocore "python3 $work/botocore_export.py")
if aws configure export-credentials --format process >/dev/null 2>&1; then
  commands+=(-n aws-cli "aws configure export-credentials --format process")
  awscli="measured"
else
  awscli="not measured: the installed $(aws --version 2>&1 | cut -d' ' -f1) has no export-credentials (AWS CLI v2 only)"
fi
# Each must print the same keys before it is timed.
for c in "$work/native/workload-credentials export --format process" "$work/tool/workload-credentials export --format process" "python3 $work/botocore_export.py"; do
  $c | grep -q '"AccessKeyId": *"AKIDCOLDSTART000001"' || { echo "did not resolve the environment keys: $c"; exit 1; }
done

mkdir -p "$root/benchmarks/results"
hyperfine -N --warmup 5 --runs "$runs" --export-markdown "$root/benchmarks/results/coldstart.md" --export-json "$work/coldstart.json" "${commands[@]}"
python3 - "$work/coldstart.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
med = {k: v["median"] * 1000 for k, v in r.items()}
print("medians (ms): " + ", ".join(f"{k} {v:.1f}" for k, v in med.items()))
print(f"native vs botocore: {med['botocore'] / med['native']:.1f}x faster; native vs .NET tool: {med['dotnet-tool'] / med['native']:.1f}x faster")
PY
echo "aws configure export-credentials: $awscli"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
