#!/usr/bin/env python3
"""python3-jieba on the same text as bench/segment_bench.cc, for the baseline ratio.

Usage: segment_jieba.py CORPUS_DIR [REPETITIONS]

Segments every non-empty content line of the three plain corpus files (government work
reports, congress reports, speeches) with jieba.lcut (HMM on, jieba's default), REPETITIONS
times, and prints one JSON object with the bytes and the median seconds and MB/s (MB = 2^20
bytes, as Google Benchmark reports).
"""
import json
import os
import statistics
import sys
import time

import jieba

FILES = ["gov_work_reports.jsonl", "cpc_congress_reports.jsonl", "xi_speeches_2020.jsonl"]


def paragraphs(corpus_dir):
    lines = []
    for name in FILES:
        with open(os.path.join(corpus_dir, name), encoding="utf-8") as f:
            for record in f:
                lines.extend(line for line in json.loads(record)["content"].split("\n") if line)
    return lines


def main():
    corpus_dir = sys.argv[1]
    repetitions = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    lines = paragraphs(corpus_dir)
    size = sum(len(line.encode("utf-8")) for line in lines)
    jieba.setLogLevel(60)
    jieba.initialize()  # load the dictionary outside the timed loop
    seconds = []
    for _ in range(repetitions):
        start = time.process_time()
        for line in lines:
            jieba.lcut(line)
        seconds.append(time.process_time() - start)
    median = statistics.median(seconds)
    print(json.dumps({"bytes": size, "paragraphs": len(lines), "median_seconds": median,
                      "mb_per_second": size / median / 2**20}))


if __name__ == "__main__":
    main()
