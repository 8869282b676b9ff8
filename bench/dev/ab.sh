#!/usr/bin/env bash
# Best of N fixed-work runs of the single-thread generator (dev A/B measurements on a noisy machine).
for i in $(seq 1 ${RUNS:-5}); do node dist/bench/dev/speed.js; done | sort -t, -k3 -n | awk '{print} END {}' | sort -k5 -n -r | head -1
