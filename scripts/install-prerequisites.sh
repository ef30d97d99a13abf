#!/usr/bin/env bash
# Installs what the test suite needs and a fresh machine lacks: Debian's Chromium for the browser tests.
# (Playwright's own browser download is never used; the tests point Playwright at this binary.)
set -euo pipefail

need=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need+=(chromium)

if [ ${#need[@]} -gt 0 ]; then
  echo "install-prerequisites: installing ${need[*]}"
  if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" fonts-liberation >/dev/null
fi
echo "install-prerequisites: chromium $(chromium --version 2>/dev/null | head -1)"
