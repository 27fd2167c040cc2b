#!/usr/bin/env bash
# Installs the system packages Otklik builds against, when missing (Debian 12).
# Swift itself (6.x) must already be on PATH: https://www.swift.org/install/linux/
set -euo pipefail
# binutils (ld.gold) and libstdc++ link the libFuzzer runtime of scripts/fuzz.sh; the
# runtime itself ships with the Swift toolchain (lib/swift/clang/lib/linux).
pkgs=(libcurl4-openssl-dev libsqlite3-dev libyaml-dev libstemmer-dev pkg-config python3 binutils libstdc++-12-dev ${EXTRA_PACKAGES:-})
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v swift >/dev/null || { echo "setup: swift not found on PATH (install Swift 6.x first)" >&2; exit 69; }
