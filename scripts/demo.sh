#!/usr/bin/env bash
# The README's first command: installs what is missing, builds, and runs the main
# job on the default pipelines.yaml. Offline it reads the bundled illustrative feed
# samples/posts.jsonl, writes incidents to state/ and out/, and shows them.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
swift build -c release --product otklik
bin=.build/release/otklik
$bin validate --config pipelines.yaml
echo "== otklik run: the daemon reads the bundled feed for ${DEMO_SECONDS:-20}s, then SIGTERM drains it and exits 0"
timeout --preserve-status -s TERM "${DEMO_SECONDS:-20}s" $bin run --config pipelines.yaml --pipeline demo
echo "== incidents (first 15)"
$bin incidents --config pipelines.yaml --pipeline demo --limit 15 || true
mkdir -p out
$bin report --config pipelines.yaml --pipeline demo --since 2026-11-01 --html out/report.html && \
  echo "== heat map written to out/report.html (open it in a browser; it works offline)"
