#!/usr/bin/env bash
# Runs the consumer apps of tests/Consumers against packages in a local feed, the way a user's app takes them.
#   eng/run-consumers.sh <feed folder> <package version>
# Each app is copied outside the repository, restored from the feed (and nuget.org) with its own nuget.config, built with warnings
# as errors (NU1605 included), and run against a moto_server started here on loopback. Prints one line per app,
# "consumer <name>: passed|failed", and exits non-zero when any failed.
set -uo pipefail
feed=$(cd "$1" && pwd)
version=$2
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
cp -r "$root/tests/Consumers/." "$work/"
export WORKLOAD_CREDENTIALS_FEED="$feed" DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

command -v moto_server >/dev/null || { echo "moto_server is not on PATH: pip install 'moto[server]'"; exit 1; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
moto_server -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
moto=$!
trap 'kill $moto 2>/dev/null; wait $moto 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
bucket=consumer-bucket
curl -s -f -X PUT "http://127.0.0.1:$port/$bucket" >/dev/null || { echo "could not create the bucket in moto"; exit 1; }

# The apps' environment: keys as the source identity, a role assumed on top through moto's STS, nothing that leaves loopback.
export AWS_ACCESS_KEY_ID=AKIDCONSUMERAPP0001 AWS_SECRET_ACCESS_KEY=consumer-secret-access-key-0001 AWS_REGION=us-east-1
export AWS_ENDPOINT_URL_STS="http://127.0.0.1:$port" AWS_EC2_METADATA_DISABLED=true
export AWS_CONFIG_FILE="$work/no-config" AWS_SHARED_CREDENTIALS_FILE="$work/no-credentials"
export CONSUMER_ROLE_ARN=arn:aws:iam::123456789012:role/consumer-app CONSUMER_BUCKET=$bucket CONSUMER_S3_URL="http://127.0.0.1:$port"
export AWS__AssumeRole__RoleArn=$CONSUMER_ROLE_ARN Consumer__Bucket=$bucket Consumer__S3Url=$CONSUMER_S3_URL

props=(-c Release -p:WorkloadCredentialsVersion="$version" --configfile "$work/nuget.config")
failed=0
run() { # name, build command..., -- , run command...
  local name=$1; shift
  local build=() run=()
  while [ "$1" != "--" ]; do build+=("$1"); shift; done; shift
  run=("$@")
  if ! "${build[@]}" >"$work/$name.build.log" 2>&1; then
    echo "consumer $name: failed (build)"; grep -E "error|warning" "$work/$name.build.log" | sort -u | head -20; failed=$((failed + 1)); return
  fi
  if [ "$name" = AotJob ]; then
    echo "consumer AotJob: $(grep -cE 'warning IL[0-9]+' "$work/$name.build.log") trim/AOT warnings"
  fi
  if timeout 120 "${run[@]}" >"$work/$name.run.log" 2>&1; then
    echo "consumer $name: passed ($(grep -E '^(console-job|worker|webapp|aot-job):' "$work/$name.run.log" | tail -1))"
  else
    echo "consumer $name: failed (run)"; tail -20 "$work/$name.run.log"; failed=$((failed + 1))
  fi
}

run ConsoleJob dotnet publish "$work/ConsoleJob" "${props[@]}" -r linux-x64 --self-contained -o "$work/out/console" -- "$work/out/console/ConsoleJob"
run Worker dotnet publish "$work/Worker" "${props[@]}" -r linux-x64 --self-contained -o "$work/out/worker" -- "$work/out/worker/Worker"
# The WebApp's S3 client comes from AddAWSService with no glue: its service URL from the AWS section, as a user would configure it.
run WebApp dotnet publish "$work/WebApp" "${props[@]}" -o "$work/out/webapp" -- env AWS__ServiceURL="$CONSUMER_S3_URL" dotnet "$work/out/webapp/WebApp.dll"
run AotJob dotnet publish "$work/AotJob" "${props[@]}" -r linux-x64 -o "$work/out/aot" -- "$work/out/aot/AotJob"
exit $((failed > 0))
