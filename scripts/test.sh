#!/usr/bin/env bash
# Runs every test project (unit, integration against the real local tenant, and browser tests in Chromium),
# installing Chromium first when it is missing. Ends with one line "N passed, N failed"; exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."

# One full run at a time on a machine: parallel runs on a small machine starve each other's timing-sensitive tests.
# A directory lock, not flock: build servers started by the run would inherit a lock's file descriptor and keep it.
lock=/tmp/legacylinking-test-suite.lock
until mkdir "$lock" 2>/dev/null; do
  holder=$(cat "$lock/pid" 2>/dev/null)
  if [ -n "$holder" ] && ! kill -0 "$holder" 2>/dev/null; then rm -rf "$lock"; continue; fi
  [ -n "${waiting:-}" ] || { echo "test.sh: waiting for another full run on this machine to finish"; waiting=1; }
  sleep 5
done
echo $$ > "$lock/pid"

bash scripts/install-prerequisites.sh || { echo "0 passed, 1 failed"; exit 1; }

log=$(mktemp)
trap 'rm -f "$log"; rm -rf "$lock"' EXIT

dotnet build LegacyLinking.sln -c Release -nologo -v q 2>&1 | tee "$log"
if [ "${PIPESTATUS[0]}" -ne 0 ]; then echo "build failed"; echo "0 passed, 1 failed"; exit 1; fi

dotnet test --solution LegacyLinking.sln -c Release --no-build 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# Microsoft.Testing.Platform prints one summary for the whole solution: "total: N", "failed: N", "succeeded: N".
passed=$(grep -E '^\s*succeeded: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+')
failed=$(grep -E '^\s*failed: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+')
if [ -z "$passed" ] || [ -z "$failed" ]; then
  echo "could not read the test summary"
  echo "${passed:-0} passed, 1 failed"
  exit 1
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi

# The conformance suite: Auth0's SDKs and openid-client against the real tenant (tests/conformance/README.md).
conformance=$(mktemp)
trap 'rm -f "$log" "$conformance"; rm -rf "$lock"' EXIT
(cd tests/conformance && npm ci --no-audit --no-fund --loglevel=error && node run.mjs) 2>&1 | tee "$conformance"
conformance_status=${PIPESTATUS[0]}
# node:test's spec reporter ends with "ℹ pass N" and "ℹ fail N".
conformance_passed=$(grep -aE '^ℹ pass [0-9]+$' "$conformance" | tail -1 | grep -oE '[0-9]+$')
conformance_failed=$(grep -aE '^ℹ fail [0-9]+$' "$conformance" | tail -1 | grep -oE '[0-9]+$')
if [ -z "$conformance_passed" ] || [ -z "$conformance_failed" ]; then
  echo "conformance: could not read its summary (exit $conformance_status)"
  conformance_passed=${conformance_passed:-0}; conformance_failed=1
fi
if [ "$conformance_status" -ne 0 ] && [ "$conformance_failed" -eq 0 ]; then conformance_failed=1; fi
if [ "$conformance_failed" -ne 0 ]; then
  echo "Failed conformance tests:"
  sed -n '/failing tests:/,$p' "$conformance" | grep -aE '^✖' | head -40
fi
passed=$((passed + conformance_passed))
failed=$((failed + conformance_failed))
if [ "$failed" -ne 0 ]; then
  # The failures again, without the captured output of the hosts that follows each one, so the end of the log says what failed.
  echo "Failed tests:"
  awk '/^failed /{show=1; n=0} show && /Standard output|^[^ \t]/ && !/^failed /{show=0} show && n++ < 12' "$log"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
