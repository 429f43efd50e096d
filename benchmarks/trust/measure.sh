#!/usr/bin/env bash
# Issue 9 ("Trust first"): peak memory, wall time, exit code and message of the CLI under hostile files and endpoints, and the
# sockets the library holds, on two trees side by side.
#
#   benchmarks/trust/measure.sh BEFORE_TREE AFTER_TREE [OUTPUT_DIR]
#
# Each tree is a checkout built with `dotnet build WorkloadCredentials.sln -c Release`. The socket driver
# (benchmarks/WorkloadCredentials.Trust, public API only) is copied into a tree that lacks it (left there uncommitted) and built.
# Every run gets an empty environment (env -i), a fresh HOME, AWS_EC2_METADATA_DISABLED=true and endpoints on loopback only
# (python servers from servers.py, or the closed port 9). Each CLI run is capped at CAP_SECONDS of wall time (timeout, exit 124)
# and CAP_BYTES of resident memory (rss_cap.py kills the process tree, exit 137; see there why not prlimit --as alone), with
# an address-space backstop of AS_BACKSTOP_BYTES (prlimit --as). Peak RSS and wall time come from /usr/bin/time -v; a run
# killed at the memory cap shows "> CAP". Paths under the scratch directory show as <tmp> in the messages.
# ONLY (a regular expression) runs the scenarios whose label matches. Writes OUTPUT_DIR/results.tsv and OUTPUT_DIR/results.md (default: a new directory under /tmp); big files are deleted at exit.
set -euo pipefail

if [[ $# -lt 2 ]]; then
    sed -n '2,12p' "$0" >&2
    exit 2
fi

BEFORE=$(cd "$1" && pwd)
AFTER=$(cd "$2" && pwd)
OUT=${3:-$(mktemp -d /tmp/trust-results.XXXXXX)}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
CAP_SECONDS=${CAP_SECONDS:-60}
CAP_BYTES=${CAP_BYTES:-$((3 * 1024 * 1024 * 1024))}
SOCKET_CAP_SECONDS=${SOCKET_CAP_SECONDS:-600}
AS_BACKSTOP_BYTES=${AS_BACKSTOP_BYTES:-$((16 * 1024 * 1024 * 1024))}
COUNT=${COUNT:-1000}
DOTNET=$(command -v dotnet)
for tool in /usr/bin/time prlimit timeout python3 mkfifo truncate; do
    command -v "$tool" >/dev/null || { echo "missing: $tool (apt-get install time util-linux coreutils python3)" >&2; exit 2; }
done

WORK=$(mktemp -d /tmp/trust-work.XXXXXX)
SERVER_PIDS=()
cleanup() {
    for pid in "${SERVER_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

# start_server MODE [TTL] -> sets PORT and STATS_PORT
start_server() {
    local portfile="$WORK/$1.$RANDOM.port"
    python3 "$HERE/servers.py" "$1" "$portfile" "${2:-3600}" 2>>"$OUT/servers.log" &
    SERVER_PIDS+=("$!")
    for _ in $(seq 100); do [[ -s "$portfile" ]] && break; sleep 0.1; done
    read -r PORT STATS_PORT <"$portfile"
}

start_server container; CONTAINER_PORT=$PORT; CONTAINER_STATS=$STATS_PORT
start_server sts 900;    STS_PORT=$PORT;       STS_STATS=$STATS_PORT
start_server endless;    ENDLESS_PORT=$PORT

# Files: a FIFO, a 1 GiB sparse file, a valid 100 MiB config whose last profile has static keys, a web identity token.
mkfifo "$WORK/fifo"
truncate -s 1G "$WORK/1gib"
python3 - "$WORK/100mib.config" <<'EOF'
import sys
target = 100 * 1024 * 1024
with open(sys.argv[1], "w") as f:
    n, size = 0, 0
    while size < target:
        block = "".join("[profile p%07d]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"
                        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n" % (n + i) for i in range(10000))
        f.write(block)
        size += len(block)
        n += 10000
    f.write("[profile target]\naws_access_key_id = AKIAIOSFODNN7TARGET1\n"
            "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYTARGETKEY\n")
EOF
printf 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0cnVzdC1iZW5jaCJ9.c2lnbmF0dXJl' >"$WORK/token"
printf '[profile trust]\nrole_arn = arn:aws:iam::123456789012:role/target-role\ncredential_source = EcsContainer\n' >"$WORK/ecs.config"

KEYS=(AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY)
ROLE=(AWS_ROLE_ARN=arn:aws:iam::123456789012:role/web-role AWS_ROLE_SESSION_NAME=trust)
WEB=(AWS_WEB_IDENTITY_TOKEN_FILE="$WORK/token" "${ROLE[@]}")
WEB_FIFO=(AWS_WEB_IDENTITY_TOKEN_FILE="$WORK/fifo" "${ROLE[@]}")
CONTAINER=(AWS_CONTAINER_CREDENTIALS_FULL_URI="http://127.0.0.1:$CONTAINER_PORT/creds")
STS=(AWS_ENDPOINT_URL_STS="http://127.0.0.1:$STS_PORT/")
ENDLESS=(AWS_ENDPOINT_URL_STS="http://127.0.0.1:$ENDLESS_PORT/")

# run_capped CAP_SECONDS ENV... -- COMMAND... : runs hermetically; sets RSS_MIB, WALL, CODE, FIRST (first line).
run_capped() {
    local cap=$1; shift
    local env=()
    while [[ $1 != -- ]]; do env+=("$1"); shift; done
    shift
    local home; home=$(mktemp -d "$WORK/home.XXXXXX")
    set +e
    env -i HOME="$home" PATH=/usr/bin:/bin DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 \
        AWS_EC2_METADATA_DISABLED=true AWS_EC2_METADATA_SERVICE_ENDPOINT=http://127.0.0.1:9/ \
        AWS_REGION=us-east-1 AWS_ENDPOINT_URL=http://127.0.0.1:9/ \
        AWS_CONFIG_FILE="$home/config" AWS_SHARED_CREDENTIALS_FILE="$home/credentials" "${env[@]}" \
        /usr/bin/time -v -o "$WORK/time" python3 "$HERE/rss_cap.py" "$CAP_BYTES" "$WORK/killed" -- \
        prlimit --as="$AS_BACKSTOP_BYTES" timeout -k 5 "$cap" "$@" \
        >"$WORK/stdout" 2>"$WORK/stderr" </dev/null
    CODE=$?
    set -e
    RSS_MIB=$(awk -F': ' '/Maximum resident set size/ { printf "%d", $2 / 1024 }' "$WORK/time")
    [[ -f "$WORK/killed" ]] && RSS_MIB="> $((CAP_BYTES >> 20))"
    WALL=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.1f", s }' "$WORK/time")
    FIRST=$( { grep -m1 -v '^[[:space:]]*$' "$WORK/stderr" || grep -m1 -v '^[[:space:]]*$' "$WORK/stdout" || true; } \
        | tr -d '\000-\037' | sed -e "s|$WORK|<tmp>|g" -e 's/|/\\|/g' | cut -c1-400)
    [[ $CODE -eq 124 ]] && FIRST="killed at the ${cap} s cap${FIRST:+ (}${FIRST}${FIRST:+)}"
    [[ -f "$WORK/killed" ]] && FIRST="killed at the $((CAP_BYTES >> 20)) MiB memory cap${FIRST:+ (}${FIRST}${FIRST:+)}"
    rm -rf "$home" "$WORK/killed"
}

printf 'scenario\ttree\tpeak_rss_mib\twall_s\texit\tfirst_line\n' >"$OUT/results.tsv"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
ROWS=()
# scenario LABEL ENV... -- CLI ARGS... : both trees, one after the other.
scenario() {
    local label=$1; shift
    [[ -z ${ONLY:-} || $label =~ $ONLY ]] || return 0
    local env=()
    while [[ $1 != -- ]]; do env+=("$1"); shift; done
    shift
    local row="| $label |"
    for tree in "$BEFORE" "$AFTER"; do
        local name=after; [[ $tree == "$BEFORE" ]] && name=before
        run_capped "$CAP_SECONDS" "${env[@]}" -- "$DOTNET" "$tree/src/WorkloadCredentials.Tool/bin/Release/net10.0/workload-credentials.dll" "$@"
        printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$name" "$RSS_MIB" "$WALL" "$CODE" "$FIRST" >>"$OUT/results.tsv"
        row+=" $RSS_MIB MiB, $WALL s, exit $CODE | $FIRST |"
        echo "$label [$name]: $RSS_MIB MiB, $WALL s, exit $CODE: $FIRST" >&2
    done
    ROWS+=("$row")
}

scenario "a) container token file /dev/zero" "${CONTAINER[@]}" AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=/dev/zero -- describe
scenario "b) AWS_CONFIG_FILE=/dev/zero" AWS_CONFIG_FILE=/dev/zero -- describe
scenario "c) AWS_CONFIG_FILE 1 GiB (sparse)" AWS_CONFIG_FILE="$WORK/1gib" -- describe
scenario "c) AWS_CONFIG_FILE valid 100 MiB, last profile" AWS_CONFIG_FILE="$WORK/100mib.config" AWS_PROFILE=target -- describe
scenario "d) web identity token file is a FIFO" "${WEB_FIFO[@]}" "${STS[@]}" -- describe
scenario "d) AWS_CONFIG_FILE is a FIFO" AWS_CONFIG_FILE="$WORK/fifo" -- describe
scenario "e) web identity, STS streams endless AccessKeyId" "${WEB[@]}" "${ENDLESS[@]}" -- describe
scenario "e) whoami (env keys), STS streams endless AccessKeyId" "${KEYS[@]}" "${ENDLESS[@]}" -- whoami
scenario "f) AWS_METADATA_SERVICE_TIMEOUT=0.005, env keys, IMDS disabled" "${KEYS[@]}" AWS_METADATA_SERVICE_TIMEOUT=0.005 -- describe
# IMDS on (its endpoint is the closed loopback port 9): the environment keys answer first, IMDS is only built.
scenario "f) AWS_METADATA_SERVICE_TIMEOUT=0.005, env keys, IMDS enabled" "${KEYS[@]}" AWS_METADATA_SERVICE_TIMEOUT=0.005 \
    AWS_EC2_METADATA_DISABLED=false -- describe
rm -f "$WORK/1gib" "$WORK/100mib.config"

# g) sockets: the driver in each tree, against the counting container and STS servers.
for tree in "$BEFORE" "$AFTER"; do
    if [[ ! -d "$tree/benchmarks/WorkloadCredentials.Trust" ]]; then
        cp -r "$HERE/../WorkloadCredentials.Trust" "$tree/benchmarks/"
        rm -rf "$tree/benchmarks/WorkloadCredentials.Trust/bin" "$tree/benchmarks/WorkloadCredentials.Trust/obj"
    fi
    "$DOTNET" build "$tree/benchmarks/WorkloadCredentials.Trust" -c Release -m:1 -v:q -nologo >"$WORK/build.log" 2>&1 \
        || { cat "$WORK/build.log" >&2; exit 1; }
done
STATS=(TRUST_CONTAINER_STATS="http://127.0.0.1:$CONTAINER_STATS" TRUST_STS_STATS="http://127.0.0.1:$STS_STATS")
socket_scenario() {
    local label=$1 mode=$2; shift 2
    [[ -z ${ONLY:-} || $label =~ $ONLY ]] || return 0
    local row="| $label |"
    for tree in "$BEFORE" "$AFTER"; do
        local name=after; [[ $tree == "$BEFORE" ]] && name=before
        run_capped "$SOCKET_CAP_SECONDS" "$@" "${STATS[@]}" -- \
            "$DOTNET" "$tree/benchmarks/WorkloadCredentials.Trust/bin/Release/net10.0/WorkloadCredentials.Trust.dll" "$mode" "$COUNT"
        if [[ $CODE -eq 0 ]]; then
            FIRST=$(python3 "$HERE/summarize.py" <"$WORK/stdout")
        else
            FIRST="$(grep -m1 -v '^[[:space:]]*$' "$WORK/stderr" | sed "s|$WORK|<tmp>|g" | cut -c1-200)"
        fi
        printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$name" "$RSS_MIB" "$WALL" "$CODE" "$FIRST" >>"$OUT/results.tsv"
        row+=" $RSS_MIB MiB, $WALL s, exit $CODE | $FIRST |"
        echo "$label [$name]: $RSS_MIB MiB, $WALL s, exit $CODE: $FIRST" >&2
    done
    ROWS+=("$row")
}
socket_scenario "g) $COUNT refreshes, profile credential_source = EcsContainer + role_arn" refresh \
    AWS_CONFIG_FILE="$WORK/ecs.config" AWS_PROFILE=trust "${CONTAINER[@]}" "${STS[@]}"
socket_scenario "g) $COUNT cycles of create cache / fetch / dispose, container source" cycles "${CONTAINER[@]}"

{
    echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores, $(free -g | awk '/^Mem:/ { print $2 }') GiB," \
        "$(. /etc/os-release && echo "$PRETTY_NAME"), .NET SDK $("$DOTNET" --version);" \
        "caps: $((CAP_BYTES >> 20)) MiB resident, ${CAP_SECONDS} s per CLI run, ${SOCKET_CAP_SECONDS} s per socket run;" \
        "load average $LOAD_START at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end."
    for tree in "$BEFORE" "$AFTER"; do
        local_name=After; [[ $tree == "$BEFORE" ]] && local_name=Before
        echo "$local_name: tree at $(git -C "$tree" log -1 --format=%h), library and CLI (src/) last changed in" \
            "$(git -C "$tree" log -1 --format='%h %s' -- src | cut -c1-90)"
    done
    echo
    echo "| Scenario | Before: peak RSS, wall, exit | Before: first line | After: peak RSS, wall, exit | After: first line |"
    echo "|---|---|---|---|---|"
    printf '%s\n' "${ROWS[@]}"
} >"$OUT/results.md"
cat "$OUT/results.md"
echo "results: $OUT" >&2
