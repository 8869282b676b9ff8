#!/usr/bin/env bash
# Dev A/B of the single-thread generator on a noisy machine: best of RUNS fixed-work runs.
for i in $(seq 1 ${RUNS:-5}); do N=${N:-600000} node dist/bench/dev/speed.js; done | sort -t' ' -k7 -n -r | head -1
