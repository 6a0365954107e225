#!/usr/bin/env bash
# Builds eval/Runner and scores WsAnalyzers against labelled manifests.
# usage: eval/score.sh [runner options] [manifest.tsv ...]   (default: every eval/audit5/*.tsv)
# runner options: --check (validate manifests only)  --out report.md  --restore  --restore-timeout N  --mirror DIR  --cache DIR  --fresh  -v  --export DIR (projects as JSON for bench --real-projects)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
args=() manifests=()
while (($#)); do
  case $1 in
    --out | --mirror | --cache | --restore-timeout | --export) args+=("$1" "$2"); shift 2 ;;
    -*) args+=("$1"); shift ;;
    *) manifests+=("$1"); shift ;;
  esac
done
if ((${#manifests[@]} == 0)); then
  manifests=("$here"/audit5/*.tsv)
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build "$here/Runner/WsAnalyzers.Eval.Runner.csproj" -c Release -nologo -v q -m:1 >&2
exec dotnet "$here/Runner/bin/Release/net10.0/WsAnalyzers.Eval.Runner.dll" "${args[@]}" "${manifests[@]}"
