#!/usr/bin/env bash
# Cold start of the published app (with its embedded local tenant, fresh data files) against a bare
# `dotnet new webapp` published the same way, alternating in one run; prints each round and the median ratio.
#   bench/cold-start.sh [--rounds 9] [--timeline]
# --timeline prints the app's own log lines with their arrival times for every round. bench/README.md has the figures.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="${TMPDIR:-/tmp}/legacylinking-coldstart"
rm -rf "$work"
mkdir -p "$work"

echo "Publishing a bare webapp and the app (Release) under $work ..."
dotnet new webapp -o "$work/bare-src" -n Bare --no-https --force >/dev/null
dotnet publish "$work/bare-src" -c Release -o "$work/bare" -nologo -v q >/dev/null
dotnet publish "$repo/web/LegacyLinking.Web" -c Release -o "$work/app" -nologo -v q >/dev/null
dotnet build "$repo/bench/LegacyLinking.ColdStartBench" -c Release -nologo -v q >/dev/null

dotnet "$repo/bench/LegacyLinking.ColdStartBench/bin/Release/net10.0/LegacyLinking.ColdStartBench.dll" \
  --bare "$work/bare/Bare" --app "$work/app/LegacyLinking.Web" "$@"
