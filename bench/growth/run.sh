#!/usr/bin/env bash
# Growth benchmark (issue 21): import time, store and index size, RSS of a serving node and
# search latency at one core, for libraries of 1×, 4×, 10× … the corpus.
#
#   bench/growth/run.sh [--factors 1,4,10] [--db postgresql://user@host/db_{k}] [--work DIR]
#                       [--passes N] [--publish] …     (all options: run.py --help)
#
# Needs a built build/wenku (copied into --work before use), build/dict, ../shared/corpus,
# zstd and libgroonga (both installed by scripts/setup). Keeps everything under --work
# (default /tmp/growth; a 10× library takes ~10 GB there while it is measured). Not part of
# scripts/test or CI: it is a benchmark, and 10× takes about an hour.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v zstd >/dev/null || { echo "run.sh: zstd is missing" >&2; exit 1; }
PYTHONDONTWRITEBYTECODE=1 exec /usr/bin/python3 bench/growth/run.py "$@"
