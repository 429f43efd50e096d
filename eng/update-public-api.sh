#!/usr/bin/env bash
# Adds every public symbol the PublicApiAnalyzers report as undeclared (RS0016) to PublicAPI.Unshipped.txt,
# and removes the lines it reports as gone (RS0017). Review the diff before committing.
set -euo pipefail
cd "$(dirname "$0")/.."
project=${1:-src/WorkloadCredentials}   # or src/WorkloadCredentials.AwsSdk.Extensions
file=$project/.PublicAPI/PublicAPI.Unshipped.txt
log=$(mktemp)
dotnet build $project/$(basename $project).csproj -f net10.0 --no-incremental > "$log" 2>&1 || true
{ grep -oP "RS0016: Symbol '\K.*(?=' is not part of the declared public API)" "$log" || true; } | sort -u >> "$file"
{ grep -oP "RS0017: Symbol '\K.*(?=' is part of the declared API, but is either not public or could not be found)" "$log" | sort -u || true; } | while IFS= read -r gone; do
  grep -vxF -- "$gone" "$file" > "$file.tmp" || true; mv "$file.tmp" "$file"
done
{ head -n1 "$file"; tail -n +2 "$file" | sort -u; } > "$file.tmp" && mv "$file.tmp" "$file"
rm -f "$log"
echo "updated $file"
