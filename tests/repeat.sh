#!/usr/bin/env bash
# Runs the whole suite N times (default 20), each from a fresh clone of this repository's committed HEAD, and prints
# each run's result and duration and the tally. With --busy-core, a busy loop holds one core for the whole time, so
# the suite is shown to pass on a machine with a core less.
#   bash tests/repeat.sh [N] [--busy-core] [-- extra arguments for tests/run.sh]
set -uo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"

runs=20
busy=0
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --busy-core) busy=1 ;;
    --) shift; extra=("$@"); break ;;
    ''|*[!0-9]*) echo "usage: bash tests/repeat.sh [N] [--busy-core] [-- arguments for tests/run.sh]" >&2; exit 2 ;;
    *) runs="$1" ;;
  esac
  shift
done

work="$(mktemp -d -t ssp-repeat-XXXXXX)"
logs="$(mktemp -d -t ssp-repeat-logs-XXXXXX)"
busy_pid=""
cleanup() {
  if [ -n "$busy_pid" ]; then kill "$busy_pid" 2>/dev/null; wait "$busy_pid" 2>/dev/null; fi
  rm -rf "$work"
}
trap cleanup EXIT

if [ "$busy" -eq 1 ]; then
  ( while :; do :; done ) &
  busy_pid=$!
  echo "busy loop on one core (pid $busy_pid)"
fi

echo "commit $(git -C "$repo" rev-parse --short HEAD); $runs run(s); logs in $logs"
passed=0
failed=0
durations=()
for i in $(seq 1 "$runs"); do
  clone="$work/run-$i"
  log="$logs/run-$i.log"
  git clone -q "$repo" "$clone"
  start=$(date +%s)
  if bash "$clone/tests/run.sh" "${extra[@]}" >"$log" 2>&1; then
    result=pass
    passed=$((passed + 1))
  else
    result=FAIL
    failed=$((failed + 1))
  fi
  seconds=$(( $(date +%s) - start ))
  durations+=("$seconds")
  # One "name: N passed, M failed (duration)" per test project, from dotnet test's summary lines.
  summary=$(grep -E '^(Passed|Failed)!' "$log" \
    | sed -E 's/^.*Failed: *([0-9]+), Passed: *([0-9]+).*Duration: *(.*[^ ]) +- +([^ ]+)\.dll.*$/\4: \2 passed, \1 failed (\3)/' | paste -sd ';' -)
  printf 'run %2d: %s in %4d s  %s\n' "$i" "$result" "$seconds" "$summary"
  if [ "$result" = FAIL ]; then
    grep -E '^\s+Failed ' "$log" | head -10 | sed 's/^/        /'
    echo "        log: $log"
  fi
  rm -rf "$clone"
done

total=0
for d in "${durations[@]}"; do total=$((total + d)); done
echo "tally: $passed passed, $failed failed of $runs; mean duration $((total / runs)) s"
[ "$failed" -eq 0 ]
