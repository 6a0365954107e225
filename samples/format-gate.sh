#!/usr/bin/env bash
# The CI gate the README recommends, run on every sample (a copy in a temp dir, never committed): after
# `dotnet format analyzers --severity warn` applies every fix, `--verify-no-changes` passes (no WS diagnostic is left
# that no fix repairs) and the repaired copy still builds. Samples that report nothing (Wire/Control) must come out
# unchanged. Same copy-and-solution scheme as samples/Wire/run.sh.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d /tmp/wsanalyzers-gate.XXXXXX)"
trap 'rm -rf "$work"' EXIT

# dotnet format does not build analyzer projects: build them first (the samples reference the Debug output).
timeout 600 dotnet build "$repo/src/CodeFixes" -nologo -v:q

printf '<Project>\n  <Import Project="%s/samples/Directory.Build.props" />\n</Project>\n' "$repo" >"$work/Directory.Build.props"
mapfile -t projects < <(cd "$repo/samples" && find . -name '*.csproj' -not -path './Wire/Harness/*' | sed 's|^\./||' | sort)
{
  echo '<Solution>'
  for p in "${projects[@]}"; do
    mkdir -p "$work/$(dirname "$p")"
    (cd "$repo/samples/$(dirname "$p")" && find . -maxdepth 1 \( -name '*.cs' -o -name '*.csproj' \) -exec cp {} "$work/$(dirname "$p")/" \;)
    echo "  <Project Path=\"$p\" />"
  done
  echo '</Solution>'
} >"$work/samples.slnx"
cp -r "$work" "$work.orig" && trap 'rm -rf "$work" "$work.orig"' EXIT

echo "== dotnet format analyzers --severity warn (${#projects[@]} samples)"
timeout 600 dotnet format analyzers "$work/samples.slnx" --severity warn
echo "== dotnet format analyzers --severity warn --verify-no-changes"
status=0
timeout 600 dotnet format analyzers "$work/samples.slnx" --severity warn --verify-no-changes || { echo "FAIL: diagnostics remain after the fixes"; status=1; }
echo "== the repaired samples build"
timeout 600 dotnet build "$work/samples.slnx" -nologo -v:q || { echo "FAIL: a repaired sample does not build"; status=1; }
for p in "${projects[@]}"; do
  d=$(dirname "$p")
  if diff -rq -x bin -x obj "$work.orig/$d" "$work/$d" >/dev/null; then
    echo "unchanged $d"
  else
    echo "repaired  $d"
  fi
done
exit $status
