#!/usr/bin/env bash
# Debian's Noto fonts give rendered text its glyphs in all nine languages
# (Latin, CJK, Hangul, Devanagari). Installed from the registry, never copied in.
set -euo pipefail
if [ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc ] \
   && [ -f /usr/share/fonts/truetype/noto/NotoSansDevanagari-Bold.ttf ]; then
    exit 0
fi
if ! command -v apt-get >/dev/null; then
    echo "Noto fonts are missing and apt-get is not available: install fonts-noto-core and fonts-noto-cjk." >&2
    exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
echo "Installing fonts-noto-core and fonts-noto-cjk (for rendering text in every language)…"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq fonts-noto-core fonts-noto-cjk >/dev/null
