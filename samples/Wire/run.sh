#!/usr/bin/env bash
# Proof on the wire (issue 6): each wire sample runs as written and as repaired by our fixes through
# `dotnet format analyzers` (on a copy in a temp dir, never committed), and is driven by ClientWebSocket and headless
# Chromium. The harness prints the table and exits non-zero if any cell is unexpected.
# Usage: bash samples/Wire/run.sh [--table <file.md>]
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
shapes=(IgnoredClose BreakOnClose WhileOpen GuardedClose ServerLeaves ClientLeaves Fragments Control)
table_out=""
[ "${1:-}" == "--table" ] && table_out="$2"

work="$(mktemp -d /tmp/wsanalyzers-wire.XXXXXX)"
pidfile="$work/pids"
: >"$pidfile"
harness_pid=""
cleanup() {
  local status=$?
  # Stop what this run started, by PID: the harness, then anything it recorded (servers, Chromium) still alive.
  if [ -n "$harness_pid" ] && kill -0 "$harness_pid" 2>/dev/null; then kill "$harness_pid" 2>/dev/null || true; fi
  while read -r pid; do
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && kill "$pid" 2>/dev/null || true
  done <"$pidfile"
  rm -rf "$work"
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if ! command -v chromium >/dev/null 2>&1; then
  echo "chromium missing: installing Debian's package"
  timeout 300 apt-get update -qq
  DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq chromium >/dev/null
fi

# dotnet format does not build analyzer projects: build them first (the samples reference the Debug output).
timeout 600 dotnet build "$repo/src/CodeFixes" -nologo -v:q

# Three copies of the samples: as written, repaired by all three fixes, and GuardedClose repaired by WS1004 alone.
copy() {  # copy <variant> <shapes...>
  local variant=$1; shift
  mkdir -p "$work/$variant"
  printf '<Project>\n  <Import Project="%s/samples/Directory.Build.props" />\n</Project>\n' "$repo" >"$work/$variant/Directory.Build.props"
  { echo '<Solution>'; for s in "$@"; do echo "  <Project Path=\"$s/$s.csproj\" />"; done; echo '</Solution>'; } >"$work/$variant/wire.slnx"
  for s in "$@"; do mkdir -p "$work/$variant/$s" && cp "$repo/samples/Wire/$s/Program.cs" "$repo/samples/Wire/$s/$s.csproj" "$work/$variant/$s/"; done
}
copy broken "${shapes[@]}"
copy repaired "${shapes[@]}"
copy repaired-ws1004 GuardedClose

# dotnet format fixes one diagnostic ID at a time, in the order of a hash set (it changes from run to run). Where
# WS1002 and WS1004 flag the same close (GuardedClose), whichever fix runs first removes the other diagnostic, so one
# call with all three IDs gives either repair. Two calls fix the order: the acknowledgement first, then the guards.
# WS1005 (Fragments) touches no sample the close fixes do, so it rides with the first call.
echo "== dotnet format analyzers --diagnostics WS1001 WS1002 WS1005, then WS1004 (and WS1004 alone on a second GuardedClose copy)"
timeout 300 dotnet format analyzers "$work/repaired/wire.slnx" --diagnostics WS1001 WS1002 WS1005 --severity warn
timeout 300 dotnet format analyzers "$work/repaired/wire.slnx" --diagnostics WS1004 --severity warn
timeout 300 dotnet format analyzers "$work/repaired-ws1004/wire.slnx" --diagnostics WS1004 --severity warn
# WS1010 (a socket left while Open: ServerLeaves, ClientLeaves) after the close-handshake fixes.
echo "== dotnet format analyzers --diagnostics WS1010"
timeout 300 dotnet format analyzers "$work/repaired/wire.slnx" --diagnostics WS1010 --severity warn
# Nothing may remain for these rules after the fixes.
timeout 300 dotnet format analyzers "$work/repaired/wire.slnx" --diagnostics WS1001 WS1002 WS1004 WS1005 WS1010 --severity warn --verify-no-changes
timeout 300 dotnet format analyzers "$work/repaired-ws1004/wire.slnx" --diagnostics WS1004 --severity warn --verify-no-changes

echo "== what the fixes changed"
status=0
for s in "${shapes[@]}"; do
  if diff -u --label "broken/$s/Program.cs" --label "repaired/$s/Program.cs" "$work/broken/$s/Program.cs" "$work/repaired/$s/Program.cs"; then
    [ "$s" == Control ] || { echo "FAIL $s: dotnet format changed nothing"; status=1; }
  else
    [ "$s" != Control ] || { echo "FAIL Control: dotnet format changed the correct server"; status=1; }
  fi
done
diff -u --label "broken/GuardedClose/Program.cs" --label "repaired-ws1004/GuardedClose/Program.cs" \
  "$work/broken/GuardedClose/Program.cs" "$work/repaired-ws1004/GuardedClose/Program.cs" && { echo "FAIL GuardedClose: WS1004 fix changed nothing"; status=1; }
[ $status -eq 0 ]

echo "== build the servers and the harness"
for variant in broken repaired repaired-ws1004; do
  timeout 600 dotnet build "$work/$variant/wire.slnx" -nologo -v:q
done
timeout 600 dotnet build "$repo/samples/Wire/Harness" -nologo -v:q -o "$work/harness"
# The observer (a correct server that reports what its ReceiveAsync saw) for the client-side WS1010 shape.
timeout 600 dotnet build "$repo/samples/Wire/Observer" -nologo -v:q -o "$work/observer"

echo "== run"
table_args=()
[ -n "$table_out" ] && table_args=(--table "$table_out")
timeout 600 dotnet "$work/harness/Harness.dll" --work "$work" --chromium "$(command -v chromium)" --pidfile "$pidfile" "${table_args[@]}" &
harness_pid=$!
wait "$harness_pid"
