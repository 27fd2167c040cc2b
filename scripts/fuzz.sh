#!/usr/bin/env bash
# Builds the libFuzzer targets in Fuzz/ (release, -sanitize=fuzzer,address) and runs each for
# SECONDS (default 60) on its corpus. Prints executions per target; exits 1 on a crash, a leak,
# a timeout or an out-of-memory, keeping the input under Fuzz/crashes/<target>/.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     targets: telegram vk config rules tokenizer
#
# New inputs that reach new code go to .build/fuzz-corpus/<target>/ (not committed); the
# seeds in Fuzz/corpus/<target>/ are read, never written. FUZZ_JOBS=N runs N workers a target.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
seconds=${1:-60}; shift || true
targets=("$@"); [ ${#targets[@]} -eq 0 ] && targets=(telegram vk config rules tokenizer)

# Per-target input size caps: pages are big, configs and texts small.
declare -A max_len=([telegram]=65536 [vk]=32768 [config]=8192 [rules]=8192 [tokenizer]=4096)

# libFuzzer's runtime comes with the Swift toolchain, not from apt: without it, say so and skip.
rt="$(dirname "$(readlink -f "$(command -v swiftc)")")/../lib/swift/clang/lib/linux/libclang_rt.fuzzer-$(uname -m).a"
if [ ! -f "$rt" ]; then
  echo "fuzz: skipped: this Swift toolchain has no libFuzzer runtime ($rt); use a swift.org toolchain" >&2
  exit 0
fi

# One product at a time: a plain `swift build` would also build the main package's `otklik`,
# whose top-level code does not compile under -sanitize=fuzzer. The targets share one
# instrumented build of OtklikCore and the connectors, so only the first build is slow.
# (ld.gold's "Cannot export local symbol '__asan_extra_spill_area'" is harmless noise.)
# Not `--sanitize=fuzzer --sanitize=address`: swiftc keeps only the last -sanitize= flag, so
# that pair builds without coverage. `--sanitize=fuzzer` makes SwiftPM link libFuzzer's main;
# the combined -Xswiftc flag comes last and instruments for both.
flags=(-c release --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address)
for t in "${targets[@]}"; do
  echo "fuzz: building fuzz-$t (release, fuzzer+address)…" >&2
  (cd Fuzz && swift build "${flags[@]}" --product "fuzz-$t" 2>&1) | grep -v "__asan_extra_spill_area" | tail -3
  [ "${PIPESTATUS[0]}" -eq 0 ] || { echo "fuzz: build of fuzz-$t failed" >&2; exit 2; }
done
bin=$(cd Fuzz && swift build "${flags[@]}" --show-bin-path)

status=0
summary=()
for t in "${targets[@]}"; do
  work="$root/.build/fuzz-corpus/$t"; crashes="$root/Fuzz/crashes/$t"; log="$root/.build/fuzz-$t.log"
  mkdir -p "$work" "$crashes"
  dict=(); [ -f "Fuzz/$t.dict" ] && dict=(-dict="Fuzz/$t.dict")
  echo "fuzz: $t for ${seconds}s…" >&2
  ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
  # The connector tests' recorded pages seed the Telegram parser too (read, never written).
  seeds=("Fuzz/corpus/$t"); [ "$t" = telegram ] && seeds+=("Tests/ConnectorTests/Fixtures/telegram")
  "$bin/fuzz-$t" "$work" "${seeds[@]}" "${dict[@]}" \
      -max_total_time="$seconds" -max_len="${max_len[$t]:-8192}" -timeout=10 -rss_limit_mb=2048 \
      $([ "${FUZZ_JOBS:-1}" -gt 1 ] && echo "-jobs=$FUZZ_JOBS -workers=$FUZZ_JOBS") \
      -artifact_prefix="$crashes/" -print_final_stats=1 >"$log" 2>&1
  rc=$?
  logs=("$log"); [ "${FUZZ_JOBS:-1}" -gt 1 ] && logs=(fuzz-*.log)
  execs=$(cat "${logs[@]}" 2>/dev/null | grep 'stat::number_of_executed_units' | awk '{s+=$2} END {print s+0}')
  cov=$(grep -E '^#[0-9]+.*cov:' "$log" | tail -1 | sed -E 's/.*cov: ([0-9]+).*/\1/')
  rm -f fuzz-*.log
  if grep -q "Is the code instrumented for coverage" "$log"; then
    echo "fuzz: $t ran without coverage feedback (instrumentation missing) — see $log" >&2; rc=3
  fi
  if [ $rc -ne 0 ]; then
    status=1
    echo "fuzz: $t FAILED (exit $rc); input kept in $crashes/ — log: $log" >&2
    grep -E 'ERROR|Fatal error|panic|SUMMARY|Test unit written' "$log" | head -10 >&2
  fi
  summary+=("$(printf '%-10s %12s execs  %6s cov  %s' "$t" "$execs" "${cov:-?}" "$([ $rc -eq 0 ] && echo ok || echo CRASH)")")
done
echo "fuzz: ${seconds}s per target"
printf '  %s\n' "${summary[@]}"
exit $status
