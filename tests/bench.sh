#!/usr/bin/env bash
# The benchmark: builds the benchmarks in Release and runs, on this machine, the load comparison (every variant of one
# page on real Kestrel, measured with wrk in interleaved rounds against its static baseline and its peers), the cache's
# memory, and the BenchmarkDotNet micro-benchmarks; then writes tests/ServerSidePersonalization.Benchmarks/RESULTS.md
# with a verdict per target. Installs wrk and redis-server when missing. About 7 minutes on 2 cores.
# Verdicts are reported, not enforced: it exits non-zero only when a step broke. BENCH_ROUNDS, BENCH_SECONDS and
# BENCH_WARMUP change the comparison's rounds (3), seconds per run (5) and warm-up seconds (2).
set -uo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS

missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "tests/bench.sh: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null || exit 1
fi

project=tests/ServerSidePersonalization.Benchmarks
dotnet build "$project" --configuration Release --verbosity quiet || exit 1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

failed=()
step() {
  echo
  echo "== $1"
  dotnet run --configuration Release --no-build --project "$project" -- "$@" || failed+=("$1")
}
step compare "$work" "${BENCH_ROUNDS:-3}" "${BENCH_SECONDS:-5}" "${BENCH_WARMUP:-2}"
step memory "$work"
step micro "$work"
step results "$work" "$(git rev-parse --short HEAD)" "$PWD/$project/RESULTS.md" $((SECONDS - started))

echo
echo "tests/bench.sh: $((SECONDS - started)) s"
if [ ${#failed[@]} -gt 0 ]; then
  echo "tests/bench.sh: failed: ${failed[*]}"
  exit 1
fi
echo "tests/bench.sh: wrote $project/RESULTS.md"
