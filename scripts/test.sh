#!/usr/bin/env bash
# The README's test command: installs what is missing, builds with warnings as
# errors, runs every test (never with --parallel), then fuzzes each parser briefly
# (FUZZ_SECONDS per target, default 20; 0 skips it).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
swift build --build-tests -Xswiftc -warnings-as-errors
swift test --skip-build
[ "${FUZZ_SECONDS:-20}" -gt 0 ] && ./scripts/fuzz.sh "${FUZZ_SECONDS:-20}"
exit 0
