#!/usr/bin/env bash
# Builds each sample and checks that it reports exactly the WS diagnostics it was written to show.
set -euo pipefail
cd "$(dirname "$0")"
status=0
check() {
  local project=$1 expected=$2
  local actual
  actual=$(dotnet build "$project" --no-incremental -nologo -v:q 2>&1 | { grep -o 'warning WS[0-9]*' || true; } | sort -u | sed 's/warning //' | tr '\n' ' ' | sed 's/ $//')
  if [ "$actual" == "$expected" ]; then
    echo "ok   $project: $actual"
  else
    echo "FAIL $project: expected [$expected], got [$actual]"
    status=1
  fi
}
check EchoServer "WS1002 WS1004 WS1005"
check ChatClient "WS1001 WS1002 WS1003 WS1005 WS1009 WS1010"
# Wire samples (samples/Wire/run.sh runs them): one close bug shape each, and a control that must stay silent.
check Wire/IgnoredClose "WS1001 WS1002"
check Wire/BreakOnClose "WS1002"
check Wire/WhileOpen "WS1002"
check Wire/GuardedClose "WS1002 WS1004"
check Wire/ServerLeaves "WS1010"
check Wire/ClientLeaves "WS1010"
check Wire/Observer ""
check Wire/Fragments "WS1005"
check Wire/Control ""
exit $status
