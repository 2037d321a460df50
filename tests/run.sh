#!/usr/bin/env bash
# The one test command. Installs what the tests need and this machine lacks (redis-server, Debian's chromium),
# then runs every test in the solution: unit, integration (stub vendors on loopback) and browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "tests/run.sh: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# A test host that hangs is stopped after 5 minutes and named (blame), instead of holding CI until its own limit.
dotnet test Middleware.sln --configuration Release --blame-hang-timeout 5m --blame-hang-dump-type none "$@"
