#!/usr/bin/env bash
# Load test of `clout serve` on the score endpoint, on loopback: builds clout (release),
# generates a social dataset, runs it into a store, starts the server (2 worker threads), asks
# the server for a sample of account ids (the leaders of every topic), drives
# `GET /v2/user.json/{id}/score` over those ids with wrk (Debian: `apt-get install -y wrk`),
# prints requests/s and the latency percentiles, and stops the server. Not run in CI.
#
# Environment: ACCOUNTS (20000), DURATION (20s), CONNECTIONS (64), WRK_THREADS (1), WORKERS (2).
# The server and wrk share the machine's cores, as they would on a 2-core box.
set -euo pipefail
cd "$(dirname "$0")/.."

ACCOUNTS=${ACCOUNTS:-20000}
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-64}
WRK_THREADS=${WRK_THREADS:-1}
WORKERS=${WORKERS:-2}

command -v wrk >/dev/null || { echo "bench_api: needs wrk (apt-get install -y wrk)" >&2; exit 1; }
command -v curl >/dev/null || { echo "bench_api: needs curl" >&2; exit 1; }

cargo build --release --quiet
BIN=${CARGO_TARGET_DIR:-target}/release/clout
WORK=$(mktemp -d)
SERVER=
cleanup() {
    if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

echo "== generating $ACCOUNTS accounts and running them into a store"
"$BIN" --quiet generate social --accounts "$ACCOUNTS" --seed 7 --out "$WORK/data"
"$BIN" --quiet run "$WORK/data" --store "$WORK/clout.store"

echo "== starting clout serve ($WORKERS workers)"
"$BIN" serve --store "$WORK/clout.store" --addr 127.0.0.1:0 --workers "$WORKERS" > "$WORK/serve.log" 2>&1 &
SERVER=$!
URL=
for _ in $(seq 1 100); do
    URL=$(grep -o 'http://[0-9.:]*' "$WORK/serve.log" | head -1 || true)
    [ -n "$URL" ] && break
    sleep 0.1
done
[ -n "$URL" ] || { cat "$WORK/serve.log" >&2; exit 1; }
echo "   $URL"

# Ids: the leaders of every topic (all exist in the run), in a fixed order.
curl -sf "$URL/v2/topics" | python3 -c '
import json, sys
for t in json.load(sys.stdin)["topics"]:
    print(t["slug"])' > "$WORK/topics"
while read -r slug; do
    curl -sf "$URL/v2/topics/$slug/leaders?limit=100"
    echo
done < "$WORK/topics" | python3 -c '
import json, sys, urllib.parse
seen = []
for line in sys.stdin:
    if line.strip():
        for l in json.loads(line)["leaders"]:
            if l["id"] not in seen:
                seen.append(l["id"])
for i in seen:
    print("/v2/user.json/" + urllib.parse.quote(i, safe="") + "/score")' > "$WORK/paths"
echo "   $(wc -l < "$WORK/paths") distinct account ids in the sample"
[ -s "$WORK/paths" ] || { echo "bench_api: no ids to ask for" >&2; exit 1; }

cat > "$WORK/score.lua" <<LUA
local paths = {}
for line in io.lines("$WORK/paths") do paths[#paths + 1] = line end
local i = 0
request = function()
    i = i + 1
    return wrk.format("GET", paths[(i % #paths) + 1])
end
done = function(summary, latency, requests)
    local secs = summary.duration / 1e6
    io.write(string.format("clout-bench requests/s %.0f p50_ms %.3f p99_ms %.3f max_ms %.3f requests %d non2xx %d errors %d\n",
        summary.requests / secs, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
        latency.max / 1000, summary.requests, summary.errors.status,
        summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA

echo "== warm-up (3s), then wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION on the score endpoint"
wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d3s -s "$WORK/score.lua" "$URL" > /dev/null
wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$WORK/score.lua" "$URL"
