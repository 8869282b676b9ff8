#!/usr/bin/env bash
# Interleaved A/B of two builds of the single-thread generator (A = HEAD, B = work tree), best of RUNS each.
set -e
rm -rf .ab && mkdir -p .ab
npx tsc -p . >/dev/null 2>&1 || true; cp -r dist .ab/b
git stash -q; npx tsc -p . >/dev/null 2>&1 || true; cp -r dist .ab/a; git stash pop -q; npx tsc -p . >/dev/null 2>&1 || true
for i in $(seq 1 ${RUNS:-5}); do
  for v in a b; do echo "$v $(N=${N:-600000} node .ab/$v/bench/dev/speed.js)"; done
done | awk '{rate=$8; if (rate > best[$1]) best[$1] = rate} END {print "A (HEAD) best", best["a"], "MB/s;  B (work tree) best", best["b"], "MB/s"}'
