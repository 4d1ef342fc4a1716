#!/usr/bin/env bash
# The browser tests (tests/test_web_browser.py) drive Debian's Chromium with Playwright: make sure
# /usr/bin/chromium exists (Playwright's own browser downloads are never used).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
    exit 0
fi
echo "installing Debian's chromium (the browser tests drive it)" >&2
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
