#!/usr/bin/env bash
# The load script: builds the benchmarks in Release and runs every mode against the app on real Kestrel, a stub vendor
# on loopback and a real redis-server (installed with apt-get when missing), printing each mode's figures. It takes
# about 6 minutes, most of it the tracking outage in real time. Exits non-zero when any mode's acceptance figure fails.
set -uo pipefail
cd "$(dirname "$0")/.."

if ! command -v redis-server >/dev/null 2>&1; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "tests/load.sh: installing redis-server"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq redis-server >/dev/null
fi

project=tests/ServerSidePersonalization.Benchmarks
dotnet build "$project" --configuration Release --verbosity quiet || exit 1

failed=()
for mode in redis-outage redis-restart vendor-faults tracking-outage; do
  echo
  echo "== $mode"
  dotnet run --configuration Release --no-build --project "$project" -- "$mode" || failed+=("$mode")
done

echo
if [ ${#failed[@]} -gt 0 ]; then
  echo "tests/load.sh: failed: ${failed[*]}"
  exit 1
fi
echo "tests/load.sh: every mode passed"
