#!/usr/bin/env bash
# Debian's chromium runs the browser tests (tests/e2e, through Playwright's driver).
# Installed from the registry, never copied in.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
    exit 0
fi
if ! command -v apt-get >/dev/null; then
    echo "chromium is missing and apt-get is not available: install Debian's chromium package; the browser tests are skipped until then." >&2
    exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
echo "Installing chromium (for the browser tests)…"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
