#!/usr/bin/env bash
# seclog's cloudtrail-like pack against Eventum on the same 1.5 KB template, files to files, interleaved
# (farm-bench). Needs $EVENTUM, the path of an eventum executable (see README.md), and farm-bench on the PATH.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=${WORK:-/tmp/seclog-vs-eventum}
count=${COUNT:-500000}
: "${EVENTUM:?set EVENTUM to the eventum command}"
mkdir -p "$work"
cp "$here/generator.yml" "$here/cloudtrail-like.jinja" "$root/bench/packs/cloudtrail-like/calls.csv" "$work/"
node "$root/bin/seclog.js" actors --config "$root/examples/actors.toml" --output "$work/actors.parquet" >/dev/null
node "$here/export-actors.mjs" "$work/actors.parquet" "$work/actors.csv"
cat > "$work/seclog.toml" <<TOML
seed = 3
[traffic]
mode = "constant"
events_per_second = 1000000
start_time = "2025-12-01T00:00:00Z"
time_scale = 0
[population]
path = "$work/actors.parquet"
[[sources]]
type = "pack"
pack = "$root/bench/packs/cloudtrail-like"
[[outputs]]
type = "file"
dir = "$work/seclog-out"
format = { type = "jsonl" }
rotation = { target_size_mb = 512 }
TOML
cat > "$work/eventum.sh" <<SH
#!/bin/sh
rm -f "$work/eventum-out.jsonl"
$EVENTUM generate --path "$work/generator.yml" --id bench --live-mode false --params '{"count": $count, "out": "$work/eventum-out.jsonl"}' >/dev/null 2>&1
wc -l < "$work/eventum-out.jsonl" >> "$work/eventum-lines.txt"
SH
chmod +x "$work/eventum.sh"
rm -f "$work/eventum-lines.txt"
farm-bench -n "${RUNS:-4}" --timeout 600 --vs "$work/eventum.sh" -- node "$root/bin/seclog.js" gen --config "$work/seclog.toml" --max-events "$count" --overwrite
echo "Eventum's lines per run (of $count asked): $(tr '\n' ' ' < "$work/eventum-lines.txt")"
