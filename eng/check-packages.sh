#!/usr/bin/env bash
# Checks what the packages in a feed carry (issue "Shippable", item 1), one line per package, "package <id>: passed|failed (...)":
#   eng/check-packages.sh <feed folder> <version>
# Library packages: README, MIT licence expression, XML docs and a DLL for every target framework, a .snupkg with a PDB per target
# framework, and (when the pack was given WORKLOAD_CREDENTIALS_REPOSITORY_URL) the repository URL and commit in the nuspec and a
# SourceLink map in every PDB. The tool package: README, licence, the tool's settings. Exits non-zero when any check failed.
set -uo pipefail
feed=$1
version=$2
url=${WORKLOAD_CREDENTIALS_REPOSITORY_URL:-}
failed=0
for nupkg in "$feed"/*."$version".nupkg; do
  id=$(basename "$nupkg" ".$version.nupkg")
  problems=$(python3 - "$nupkg" "$url" <<'PY'
import re, sys, zipfile, pathlib
nupkg, url = sys.argv[1], sys.argv[2]
z = zipfile.ZipFile(nupkg)
names = set(z.namelist())
nuspec = z.read(next(n for n in names if n.endswith(".nuspec"))).decode("utf-8-sig")
problems = []
if "README.md" not in names or "<readme>README.md</readme>" not in nuspec: problems.append("no README")
if '<license type="expression">MIT</license>' not in nuspec: problems.append("no MIT licence expression")
if url and f'url="{url}"' not in nuspec: problems.append("no repository URL")
if url and not re.search(r'commit="[0-9a-f]{40}"', nuspec): problems.append("no repository commit")
if "<packageType name=\"DotnetTool\"" in nuspec:
    if not any(n.endswith("DotnetToolSettings.xml") for n in names): problems.append("no tool settings")
else:
    tfms = sorted({n.split("/")[1] for n in names if n.startswith("lib/")})
    if not tfms: problems.append("no lib folder")
    for tfm in tfms:
        dll = [n for n in names if n.startswith(f"lib/{tfm}/") and n.endswith(".dll")]
        for d in dll:
            if d[:-4] + ".xml" not in names: problems.append(f"no XML docs for {d}")
    snupkg = pathlib.Path(nupkg[:-6] + ".snupkg")
    if not snupkg.exists():
        problems.append("no .snupkg")
    else:
        s = zipfile.ZipFile(snupkg)
        for tfm in tfms:
            pdbs = [n for n in s.namelist() if n.startswith(f"lib/{tfm}/") and n.endswith(".pdb")]
            if not pdbs: problems.append(f"no PDB for {tfm}")
            for p in pdbs:
                if url and b'"documents":' not in s.read(p): problems.append(f"no SourceLink map in {p}")
print("; ".join(problems))
PY
)
  if [ -z "$problems" ]; then echo "package $id: passed"; else echo "package $id: failed ($problems)"; failed=1; fi
done
exit $failed
