#!/usr/bin/env bash
# Proof in an editor (issue 15): installs the csharp-ls language server (0.28.0, a dotnet tool) into a temp dir and runs
# editor/LspCheck.cs, which drives it over LSP on a small web project that references the packed package in artifacts/
# (run `dotnet pack package -c Release -o artifacts` first; .ci/run does). Nothing is installed outside the temp dir
# except what NuGet caches for the tool itself; the project restores WsAnalyzers into a packages folder of its own.
# Usage: bash editor/run.sh
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
csharp_ls_version=0.28.0

shopt -s nullglob
nupkgs=("$repo"/artifacts/WsAnalyzers.*.nupkg)
if [ "${#nupkgs[@]}" -ne 1 ]; then
  echo "editor check: expected one artifacts/WsAnalyzers.*.nupkg, found ${#nupkgs[@]}: pack first (dotnet pack package -c Release -o artifacts)" >&2
  exit 1
fi
version="$(basename "${nupkgs[0]}" .nupkg)"
version="${version#WsAnalyzers.}"
# The project URL the package was packed with: every help link must start with it (Directory.Build.props, RepositoryUrl).
repository_url="$(dotnet msbuild "$repo/package/WsAnalyzers.Package.csproj" -getProperty:PackageProjectUrl -nologo)"

work="$(mktemp -d /tmp/wsanalyzers-editor.XXXXXX)"
cleanup() {
  local status=$?
  # The check stops csharp-ls itself; this covers a check that was killed (timeout) before it could.
  if [ -f "$work/csharp-ls.pid" ]; then
    pid="$(cat "$work/csharp-ls.pid")"
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && kill "$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "-- install csharp-ls $csharp_ls_version into $work/tools"
timeout 300 dotnet tool install csharp-ls --version "$csharp_ls_version" --tool-path "$work/tools" >/dev/null
timeout 600 dotnet run --file "$repo/editor/LspCheck.cs" -- \
  --server "$work/tools/csharp-ls" --packages "$repo/artifacts" --version "$version" \
  --repository-url "$repository_url" --work "$work" --timeout 300
