#!/bin/sh
# Snippet cost per search hit, before and after issue 5's snippet work, side by side in one
# run (bench/snippet_bench.cc): pinned to CPU 1, 5 repetitions, medians of CPU time, the
# ratio before/after, and the load average before and after the run (the machine is shared:
# compare ratios, and distrust absolute numbers taken under load).
#
# Usage: bench/run_snippet_bench.sh [BUILD_DIR]   (default: build)
set -eu
build=${1:-build}
cmake --build "$build" --target snippet_bench
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
taskset -c 1 "$build/bench/snippet_bench" --benchmark_repetitions=5 \
  --benchmark_report_aggregates_only=true --benchmark_format=json \
  --benchmark_out=/dev/stdout --benchmark_out_format=json >"$build/snippet_bench.json"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

python3 - "$build/snippet_bench.json" "$load_before" "$load_after" <<'PY'
import json, re, sys
runs = json.load(open(sys.argv[1]))["benchmarks"]
median = {b["run_name"].split("/", 1)[1]: b for b in runs if b.get("aggregate_name") == "median"}
print("load average %s before, %s after; medians of 5 repetitions, CPU time" % tuple(sys.argv[2:4]))
print(f"{'hits':<18} {'load only µs/hit':>17} {'before µs/hit':>14} {'after µs/hit':>13} "
      f"{'before/after':>13}")
for name in ("longest40_member", "sample200_member", "longest40_guest"):
    hits = int(re.search(r"\d+", name).group())
    per_hit = {p: median[f"{name}_{p}"]["cpu_time"] * 1e3 / hits  # ms -> µs
               for p in ("load_only", "before", "after")}
    print(f"{name:<18} {per_hit['load_only']:>17.1f} {per_hit['before']:>14.1f} "
          f"{per_hit['after']:>13.1f} {per_hit['before'] / per_hit['after']:>12.2f}×")
PY
