#!/usr/bin/env bash
# Hfpl's two entry points. Both first make the machine able to load libtorch (scripts/ensure-native.sh).
#   ./build.sh demo [hfpl demo options]   train CAM and CAM++ on the built-in data and compare their pseudo-labels
#   ./build.sh test [dotnet test options] build and run every test project; ends with "N passed, N failed"
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

command=${1:-}
[ $# -gt 0 ] && shift
case "$command" in
  demo)
    bash scripts/ensure-native.sh
    dotnet build samples/Hfpl.Cli -c Release -v quiet -nologo
    exec dotnet run --project samples/Hfpl.Cli -c Release --no-build -- demo "$@"
    ;;
  test)
    bash scripts/ensure-native.sh
    log=$(mktemp)
    set +e
    # Build every project and target framework first (the packaging test packs net8.0 and net10.0), then run the tests.
    dotnet build Hfpl.sln -c Release -nologo 2>&1 | tee "$log"
    status=${PIPESTATUS[0]}
    if [ "$status" -eq 0 ]; then
      dotnet test Hfpl.sln -c Release -nologo --no-build "$@" 2>&1 | tee -a "$log"
      status=${PIPESTATUS[0]}
    fi
    set -e
    # Each test project prints "Passed!  - Failed: F, Passed: P, Skipped: S, Total: T" (or "Failed!  - ...").
    summary=$(grep -E '^(Passed|Failed)! +- +Failed: ' "$log" | sed -E 's/.*Failed: +([0-9]+), Passed: +([0-9]+), Skipped: +([0-9]+).*/\1 \2 \3/' \
      | awk '{f+=$1; p+=$2; s+=$3; n++} END {printf "%d %d %d %d", p, f, s, n}')
    read -r passed failed skipped projects <<<"$summary"
    rm -f "$log"
    if [ "$projects" -eq 0 ] && [ "$status" -ne 0 ]; then
      echo "build or test run failed before any test ran (exit $status)" >&2
      echo "0 passed, 1 failed"
      exit "$status"
    fi
    echo "$passed passed, $failed failed, $skipped skipped"
    exit "$status"
    ;;
  *)
    echo "usage: ./build.sh demo [options] | ./build.sh test [dotnet test options]" >&2
    exit 2
    ;;
esac
