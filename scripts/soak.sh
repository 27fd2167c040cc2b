#!/usr/bin/env bash
# Soak test: the release daemon against a fast fake feed for MINUTES (default 10), while its
# resident memory, open file descriptors, threads and queue depths are sampled every
# SOAK_SAMPLE seconds (default 5) into a CSV. Fails (exit 1) when any of them grows without
# bound — the last third's maximum above the first third's maximum plus a tolerance — or
# when posts in != incidents + drops out, or a sink got fewer incidents than were made.
#
#   scripts/soak.sh [MINUTES]        SOAK_RATE=posts/s (200)  SOAK_HTTP=0 (no HTTP sink)
#
# The feed is a JSONL file a generator appends to (texts varied from samples/posts.jsonl, one
# in five a repeat for dedupe); sinks: SQLite, a rotated JSONL file and, unless SOAK_HTTP=0,
# an HTTP sink on 127.0.0.1 that counts what it receives. Output: .build/soak/<time>/
# (soak.csv, daemon.log, summary.txt). Not in CI: run it by hand (`make soak`).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
minutes=${1:-10}
rate=${SOAK_RATE:-200}
sample=${SOAK_SAMPLE:-5}
http=${SOAK_HTTP:-1}
work="$root/.build/soak/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$work/state" "$work/out"

echo "soak: building the release binary…" >&2
swift build -c release --product otklik 2>&1 | tail -1
bin="$(swift build -c release --show-bin-path)/otklik"

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

# --- the fake HTTP endpoint: 200 for every batch, counts NDJSON lines -------------------
port=""
if [ "$http" != 0 ]; then
  cat >"$work/sink_server.py" <<'PY'
import http.server, os, sys, threading
count = 0; lock = threading.Lock(); out = sys.argv[1]
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        global count
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with lock:
            count += sum(1 for l in body.split(b"\n") if l.strip())
            open(out + ".tmp", "w").write(str(count)); os.replace(out + ".tmp", out)
        self.send_response(200); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *a): pass
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
PY
  echo 0 >"$work/http_received"
  python3 "$work/sink_server.py" "$work/http_received" >"$work/http_port" &
  pids+=($!)
  for _ in $(seq 50); do [ -s "$work/http_port" ] && break; sleep 0.1; done
  port=$(cat "$work/http_port")
fi

# --- config: short dedupe/incident windows so the soak reaches a steady state -----------
cat >"$work/config.yaml" <<YAML
state_dir: $work/state
log_level: notice
metrics_file: $work/state/metrics.prom
metrics_interval: 1s
pipelines:
  - name: soak
    channel_capacity: 512
    sources:
      - {id: feed, connector: jsonl, path: $work/feed.jsonl, start_at: beginning, poll_interval: 200ms}
    stages:
      - normalize
      - dedupe: {window: 2m, max_entries: 20000}
      - geotag: {gazetteer: [$root/data/rostov-oblast.tsv], region: Ростовская область}
      - classify: {rules: $root/rules/}
      - incident: {join_window: 2m, retention: 5m}
    sinks:
      - {name: db, type: sqlite, path: $work/state/incidents.sqlite}
      - {name: file, type: file, path: $work/out/incidents.jsonl, rotate_size: 20MB, keep: 2}
YAML
[ -n "$port" ] && echo "      - {name: web, type: http, url: \"http://127.0.0.1:$port/incidents\", format: ndjson}" >>"$work/config.yaml"
"$bin" validate --config "$work/config.yaml" >/dev/null

# --- the generator: appends RATE lines a second until told to stop ----------------------
cat >"$work/generate.py" <<'PY'
import json, random, re, sys, time, datetime, os
samples, feed, counter, stop, rate = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5])
texts = [json.loads(l)["text"] for l in open(samples, encoding="utf-8") if l.strip()]
rng = random.Random(7); n = 0; recent = []
with open(feed, "a", encoding="utf-8") as f:
    while not os.path.exists(stop):
        t0 = time.monotonic()
        for _ in range(max(1, int(rate / 10))):
            n += 1
            if recent and rng.random() < 0.2:
                text = rng.choice(recent)
            else:
                text = re.sub(r"\d+", lambda m: str(rng.randint(1, 300)), rng.choice(texts))
                text += " " + rng.choice(["", "Сколько можно!", "Помогите.", f"Дом {rng.randint(1, 120)}."])
                recent = (recent + [text])[-50:]
            now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            f.write(json.dumps({"post_id": f"soak-{n}", "published": now, "text": text}, ensure_ascii=False) + "\n")
        f.flush()
        open(counter + ".tmp", "w").write(str(n)); os.replace(counter + ".tmp", counter)
        time.sleep(max(0.0, 0.1 - (time.monotonic() - t0)))
PY
: >"$work/feed.jsonl"; echo 0 >"$work/generated"

"$bin" run --config "$work/config.yaml" >"$work/daemon.log" 2>&1 &
daemon=$!; pids+=($daemon)
python3 "$work/generate.py" "$root/samples/posts.jsonl" "$work/feed.jsonl" "$work/generated" "$work/stop" "$rate" &
pids+=($!)

# --- sampling -----------------------------------------------------------------------------
metric() {  # sum of a metric's samples in the metrics file (0 when absent)
  awk -v m="$1" '$1 == m || index($1, m "{") == 1 { s += $NF } END { printf "%d", s }' "$work/state/metrics.prom" 2>/dev/null || echo 0
}
row() {
  local rss fds threads
  rss=$(awk '/^VmRSS/ {print $2}' /proc/$daemon/status 2>/dev/null || echo 0)
  threads=$(awk '/^Threads/ {print $2}' /proc/$daemon/status 2>/dev/null || echo 0)
  fds=$(ls /proc/$daemon/fd 2>/dev/null | wc -l)
  echo "$1,$rss,$fds,$threads,$(metric otklik_posts_outstanding),$(metric otklik_sink_queue_depth),$(cat "$work/generated"),$(metric otklik_posts_read_total),$(metric otklik_incidents_total),$(metric otklik_posts_dropped_total),$(metric otklik_sink_delivered_total),$(cat "$work/http_received" 2>/dev/null || echo 0)"
}
csv="$work/soak.csv"
echo "seconds,rss_kb,fds,threads,outstanding,sink_queue_depth,generated,posts_read,incidents,dropped,delivered_all_sinks,http_received" >"$csv"
echo "soak: $minutes min at $rate posts/s; samples every ${sample}s → $csv" >&2
start=$(date +%s); end=$((start + minutes * 60))
while [ "$(date +%s)" -lt "$end" ]; do
  kill -0 "$daemon" 2>/dev/null || { echo "soak: the daemon died; see $work/daemon.log" >&2; tail -5 "$work/daemon.log" >&2; exit 1; }
  row $(( $(date +%s) - start )) >>"$csv"
  sleep "$sample"
done

# --- drain: stop feeding, wait until everything read is done and delivered ----------------
touch "$work/stop"; sleep 1
generated=$(cat "$work/generated")
sinks=$([ -n "$port" ] && echo 3 || echo 2)
for _ in $(seq 120); do
  [ "$(metric otklik_posts_read_total)" -ge "$generated" ] && [ "$(metric otklik_posts_outstanding)" -eq 0 ] \
    && [ "$(metric otklik_sink_queue_depth)" -eq 0 ] && break
  sleep 1
done
sleep 2
row $(( $(date +%s) - start )) >>"$csv"
kill -TERM "$daemon"; wait "$daemon" || true

python3 - "$csv" "$sinks" "$work/out" >"$work/summary.txt" <<'PY'
import csv, sys
rows = [{k: int(v) for k, v in r.items()} for r in csv.DictReader(open(sys.argv[1]))]
sinks = int(sys.argv[2]); load = rows[:-1]; final = rows[-1]; n = len(load); third = max(1, n // 3)
first, last = load[:third], load[-third:]
failed = []
def bound(name, col, slack_ratio, slack_abs):
    a = max(r[col] for r in first); b = max(r[col] for r in last); limit = a * (1 + slack_ratio) + slack_abs
    ok = b <= limit
    if not ok: failed.append(name)
    print(f"{name:18} start {load[0][col]:>9}  end {load[-1][col]:>9}  max {max(r[col] for r in load):>9}"
          f"  first-third max {a:>9}  last-third max {b:>9}  limit {limit:>11.0f}  {'ok' if ok else 'GROWING'}")
bound("rss_kb", "rss_kb", 0.25, 16384)
bound("fds", "fds", 0, 8)
bound("threads", "threads", 0, 4)
bound("outstanding", "outstanding", 0.5, 512)
bound("sink_queue_depth", "sink_queue_depth", 0.5, 512)
gen, read, inc, drop = final["generated"], final["posts_read"], final["incidents"], final["dropped"]
print(f"posts generated {gen}, read {read}, incidents {inc} + dropped {drop} = {inc + drop}; "
      f"delivered (all {sinks} sinks) {final['delivered_all_sinks']} (expected {inc * sinks}); http received {final['http_received']}")
if read != gen: failed.append("posts read != posts generated")
if inc + drop != read: failed.append("posts in != incidents + drops")
if final["delivered_all_sinks"] < inc * sinks: failed.append("a sink is missing incidents")
if final["outstanding"] != 0: failed.append("posts still outstanding after the drain")
import glob, json
sizes = [(len(json.loads(l).get("related_posts", [])), len(l)) for f in glob.glob(sys.argv[3] + "/incidents.jsonl*")
         for l in open(f, encoding="utf-8") if l.strip()]
if sizes:
    print(f"largest incident version: {max(sizes)[0]} related posts; longest JSON line {max(s[1] for s in sizes)} bytes")
print("RESULT:", "ok" if not failed else "FAILED: " + ", ".join(failed))
PY
cat "$work/summary.txt"
grep -q "^RESULT: ok" "$work/summary.txt"
