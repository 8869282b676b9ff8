#!/usr/bin/env bash
# Interleaved A/B of two builds of the single-thread generator (A = HEAD, B = work tree), best of RUNS each.
# HEAD is built in a temporary git worktree: the work tree, and whatever is uncommitted in it, is never touched.
set -e
root=$(git rev-parse --show-toplevel)
cd "$root"
rm -rf .ab && mkdir -p .ab
npx tsc -p . >/dev/null 2>&1 || true; cp -r dist .ab/b
head=$(mktemp -d)
cleanup() {
  rm -f "$head/node_modules"
  git worktree remove --force "$head" >/dev/null 2>&1 || rm -rf "$head"
  git worktree prune
}
trap cleanup EXIT
git worktree add -q --detach "$head" HEAD
ln -s "$root/node_modules" "$head/node_modules"
(cd "$head" && npx tsc -p . >/dev/null 2>&1 || true)
cp -r "$head/dist" .ab/a
for i in $(seq 1 ${RUNS:-5}); do
  for v in a b; do echo "$v $(N=${N:-600000} node .ab/$v/bench/dev/speed.js)"; done
done | awk '{rate=$8; if (rate > best[$1]) best[$1] = rate} END {print "A (HEAD) best", best["a"], "MB/s;  B (work tree) best", best["b"], "MB/s"}'
