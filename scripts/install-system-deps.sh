#!/usr/bin/env bash
# System packages the project needs beyond PyPI: Debian's chromium, for static figure
# export (kaleido) and the browser tests (Playwright drives it; its own browser download
# does not work offline).
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium (apt-get)..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "chromium is not installed and cannot be installed from here." >&2
echo "Install it as root: apt-get install chromium (Debian/Ubuntu), then run make again." >&2
exit 1
