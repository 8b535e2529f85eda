#!/bin/sh
# Segmentation speed, side by side: wenku's Segmenter (bench/segment_bench, Google Benchmark,
# median of 5 repetitions, CPU time) and python3-jieba (bench/segment_jieba.py, median of 3)
# on the same corpus paragraphs, then the ratio. Installs python3-jieba when it is missing
# (benchmark-only: it is not a runtime dependency).
#
# Usage: bench/run_segment_bench.sh [BUILD_DIR]   (default: build)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
corpus="$here/../../shared/corpus"
# Debian's interpreter, which python3-jieba installs into (a python3 earlier on PATH may not see it).
py=/usr/bin/python3

if ! "$py" -c 'import jieba' 2>/dev/null; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get install -y -q --no-install-recommends python3-jieba
fi

cmake --build "$build" --target segment_bench
"$build/bench/segment_bench" --benchmark_format=json --benchmark_out=/dev/stdout \
  --benchmark_out_format=json >"$build/segment_bench.json" 2>/dev/null
"$py" "$here/segment_jieba.py" "$corpus" >"$build/segment_jieba.json"

python3 - "$build/segment_bench.json" "$build/segment_jieba.json" <<'PY'
import json, sys
bench = json.load(open(sys.argv[1]))
jieba = json.load(open(sys.argv[2]))
base = jieba["mb_per_second"]
print(f"{'segmenter':<28} {'MB/s (median)':>14} {'x python3-jieba':>16}")
for b in bench["benchmarks"]:
    if b.get("aggregate_name") == "median":
        mbs = b["bytes_per_second"] / 2**20
        print(f"{b['run_name']:<28} {mbs:>14.2f} {mbs / base:>16.1f}")
print(f"{'python3-jieba lcut':<28} {base:>14.2f} {1:>16.1f}")
print(f"text: {jieba['bytes']} bytes in {jieba['paragraphs']} paragraphs")
PY
