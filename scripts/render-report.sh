#!/usr/bin/env bash
# Renders an Otklik HTML report to a PNG with headless Chromium: the browser check of
# `otklik report`. Usage: scripts/render-report.sh FILE.html OUT.png [WIDTHxHEIGHT]
# Needs Debian's `chromium` (apt-get install -y chromium). Works offline: the report
# loads nothing from the network.
set -euo pipefail
if [[ $# -lt 2 ]]; then
  echo "usage: $0 FILE.html OUT.png [WIDTHxHEIGHT]   (default 1400x2000)" >&2
  exit 64
fi
html=$1 out=$2 size=${3:-1400x2000}
[[ -f $html ]] || { echo "$0: no such file: $html" >&2; exit 66; }
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [[ -z $browser ]]; then
  echo "$0: chromium not found; install it with: apt-get install -y chromium" >&2
  exit 69
fi
abs_html=$(cd "$(dirname "$html")" && pwd)/$(basename "$html")
mkdir -p "$(dirname "$out")"
abs_out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
rm -f "$abs_out"
# --no-sandbox: containers and CI run as root; the page is our own local file.
"$browser" --headless --disable-gpu --no-sandbox --hide-scrollbars --user-data-dir="$profile" \
  --no-first-run --disable-extensions --disable-background-networking \
  --window-size="${size/x/,}" --screenshot="$abs_out" "file://$abs_html" >/dev/null 2>&1 || true
if [[ ! -s $abs_out ]]; then
  echo "$0: chromium wrote no screenshot for $html" >&2
  exit 70
fi
echo "$abs_out"
