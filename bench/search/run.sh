#!/usr/bin/env bash
# Search benchmark: Wenku (/api/v1/search of `wenku serve`, as a guest and as a logged-in
# member) against Groonga, Sphinx, Xapian,
# SQLite FTS5 and PostgreSQL pg_trgm, all fed the same documents of ../shared/corpus.
#
#   bench/search/run.sh [--smoke] [--publish] [--docs N] [--queries N] [--engines a,b] ...
#
# --smoke    500 documents, 60 queries, one timed pass, 2 s of wrk: checks the harness end to
#            end (a few minutes).
# --publish  writes the table and chart into bench/README.md (use for full runs only).
# Other options go to bench.py (see `python3 bench/search/bench.py --help`).
#
# Installs the engines from Debian (idempotent), builds build/wenku when it is missing,
# keeps all data under --work (default /tmp/wenku-search-bench), listens on 127.0.0.1 only
# and stops every server it started. Not part of scripts/test or CI: it is a benchmark.
set -euo pipefail
cd "$(dirname "$0")/../.."

PACKAGES=(groonga-bin sphinxsearch xapian-tools python3-xapian python3-psycopg2 python3-pymysql
  python3-matplotlib postgresql-15 postgresql-contrib wrk zstd util-linux opencc)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "run.sh: installing ${missing[*]}"
  $SUDO apt-get -o DPkg::Lock::Timeout=900 update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=900 install -y -q \
    --no-install-recommends "${missing[@]}"
fi
# Debian starts searchd as a service on install; the benchmark runs its own on loopback.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet sphinxsearch 2>/dev/null; then
  echo "run.sh: note: the system sphinxsearch service is running (left alone)"
fi

[ -x build/wenku ] || scripts/setup

args=()
for a in "$@"; do
  case "$a" in
    --smoke) args+=(--docs 500 --queries 60 --repeat 1 --wrk-seconds 2
                    --work /tmp/wenku-search-bench-smoke) ;;
    *) args+=("$a") ;;
  esac
done
# Debian's python3: the engines' bindings (python3-xapian …) are installed for it.
PYTHONDONTWRITEBYTECODE=1 exec /usr/bin/python3 bench/search/bench.py "${args[@]}"
