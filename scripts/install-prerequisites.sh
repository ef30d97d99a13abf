#!/usr/bin/env bash
# Installs what the test suite needs and a fresh machine lacks:
# - Debian's Chromium for the browser tests (Playwright's own browser download is never used; the tests point
#   Playwright at this binary);
# - PostgreSQL's server binaries for the migration tests, which start a throwaway cluster of their own (the package's
#   default cluster is not used, only initdb/pg_ctl/postgres).
set -euo pipefail

# Where the PostgreSQL test fixture looks for initdb: PATH, then the usual install folders.
have_initdb() {
  command -v initdb >/dev/null 2>&1 && return 0
  local candidate
  for candidate in /usr/lib/postgresql/*/bin/initdb /usr/pgsql-*/bin/initdb /usr/local/pgsql/bin/initdb; do
    [ -x "$candidate" ] && return 0
  done
  return 1
}

need=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need+=(chromium fonts-liberation)
have_initdb || need+=(postgresql)
# The conformance suite (tests/conformance) runs on Node 20 with npm.
command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || need+=(nodejs npm)

if [ ${#need[@]} -gt 0 ]; then
  echo "install-prerequisites: installing ${need[*]}"
  if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
echo "install-prerequisites: chromium $(chromium --version 2>/dev/null | head -1)"
echo "install-prerequisites: node $(node --version 2>/dev/null), npm $(npm --version 2>/dev/null)"
initdb=$(command -v initdb 2>/dev/null || ls -d /usr/lib/postgresql/*/bin/initdb /usr/pgsql-*/bin/initdb /usr/local/pgsql/bin/initdb 2>/dev/null | sort -V | tail -1 || true)
echo "install-prerequisites: postgresql $("$initdb" --version 2>/dev/null | head -1)"
