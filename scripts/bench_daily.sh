#!/usr/bin/env bash
# A daily run against a run from scratch, on the generated social network split into daily
# slices (issue 17). Generates ACCOUNTS accounts over DAYS days, writes the data up to the end
# of day DAYS-7 and DAYS-1 into a growing directory and runs each into a store (as a daily
# service would have), then times, on the data up to the end of day DAYS:
#   daily: `clout run` into that store (the day and week changes come from the stored runs);
#   full:  `clout run` into an empty store (every change re-scored), without the label cache.
# The daily runs keep the teacher's topics in a label cache of their own (WORK/labels).
# Prints each run's seconds per stage (`--timings`) and the ratio daily / full.
#
#   scripts/bench_daily.sh [ACCOUNTS=1000000] [DAYS=30] [WORK=/tmp/clout-daily]
# Needs a release build (`cargo build --release`) and about 10 GB free under WORK at 1M
# accounts.
set -euo pipefail
ACCOUNTS=${1:-1000000}
DAYS=${2:-30}
WORK=${3:-/tmp/clout-daily}
CLOUT=${CLOUT:-$(dirname "$0")/../target/release/clout}
# The generator's activity ends at 2026-01-01T00:00:00Z.
END=1767225600
rm -rf "$WORK" && mkdir -p "$WORK/live"
"$CLOUT" generate social --accounts "$ACCOUNTS" --days "$DAYS" --out "$WORK/gen" --quiet
# Every file in time order, so that a day's data is the start of the next day's.
sort -s -t ' ' -k4,4n "$WORK/gen/interactions.txt" > "$WORK/interactions.sorted"
python3 - "$WORK/gen/posts.jsonl" "$WORK/posts.sorted" <<'EOF'
import json, sys
lines = open(sys.argv[1], encoding="utf-8").readlines()
lines.sort(key=lambda l: json.loads(l)["time"])
open(sys.argv[2], "w", encoding="utf-8").writelines(lines)
EOF
cp "$WORK/gen/follows.txt" "$WORK/gen/identities.txt" "$WORK/live/"

# The data up to the instant $1 into the growing directory.
slice() {
  awk -v t="$1" '$4 <= t' "$WORK/interactions.sorted" > "$WORK/live/interactions.txt"
  python3 - "$1" "$WORK/posts.sorted" "$WORK/live/posts.jsonl" <<'EOF'
import json, sys
t = int(sys.argv[1])
with open(sys.argv[3], "w", encoding="utf-8") as out:
    for l in open(sys.argv[2], encoding="utf-8"):
        if json.loads(l)["time"] <= t:
            out.write(l)
EOF
}
day_end() { echo $((END - ($DAYS - $1) * 86400 - 1)); }
run() { # store as-of label [label cache]
  CLOUT_LABEL_CACHE=${4:-$WORK/labels} /usr/bin/time -f "$3 peak RSS %M KB" "$CLOUT" run "$WORK/live" --store "$1" --as-of "$2" \
    --window 30d --timings --quiet 2>&1 >/dev/null | grep -E "clout-timings|peak RSS|changes over|student|teacher" \
    | sed "s/^clout-timings/$3/"
}
for d in $((DAYS - 7)) $((DAYS - 1)); do
  slice "$(day_end "$d")"
  run "$WORK/daily.store" "$(day_end "$d")" "setup day $d" > /dev/null
done
slice "$(day_end "$DAYS")"
run "$WORK/daily.store" "$(day_end "$DAYS")" daily | tee "$WORK/daily.txt"
run "$WORK/full.store" "$(day_end "$DAYS")" full off | tee "$WORK/full.txt"
python3 - "$WORK/daily.txt" "$WORK/full.txt" <<'EOF'
import json, sys
def stages(p):
    line = next(l for l in open(p) if l.split()[0] in ("daily", "full") and "{" in l)
    return json.loads(line[line.index("{"):])
d, f = stages(sys.argv[1]), stages(sys.argv[2])
for k in sorted(f):
    print(f"{k:>10}  daily {d.get(k, 0):8.2f}  full {f[k]:8.2f}  ratio {d.get(k, 0) / f[k]:.2f}")
EOF
