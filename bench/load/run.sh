#!/usr/bin/env bash
# Load benchmark (issue 19): `wenku serve` on one core under wrk with 256 connections over a mix
# of home, document, search and QR requests from many client addresses, on a library you give
# (the full corpus: `build/wenku import --data DIR ../shared/corpus/*`).
#
#   bench/load/run.sh --wenku build/wenku --data DIR [--duration 60s] [--connections 256]
#                     [--rounds 3]
#
# The server runs with its defaults (rate limits and access log on; the log goes to
# /dev/null) plus --workers 1 --threads 1 --trusted-proxy 127.0.0.1, pinned to core 0; wrk runs
# on core 1 and sends each request with X-Forwarded-For of a random 10.x.y.z client, so the
# per-client rate limits apply as they would to visitors (429s are counted apart). The mix:
# 40 % /doc/{id} (2,000 random documents), 30 % /search (bench/search/natural_queries.txt),
# 15 % /, 15 % /qr/doc/{id}.svg. After a 10 s warm-up, `rounds` runs of `duration`, the
# server's resident memory (VmRSS) read before and after each; then one more run with a
# second wrk on 2 connections sending the adversarial queries of bench/adversarial/queries.tsv
# alongside (about 1 % of the requests), to compare the mix's p99 with and without them.
# Prints a markdown table.
set -euo pipefail
cd "$(dirname "$0")/../.."
wenku="" data="" duration=60s connections=256 rounds=3
while [ $# -gt 0 ]; do
  case "$1" in
    --wenku) wenku=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -x "$wenku" ] && [ -f "$data/wenku.sqlite" ] || {
  echo "usage: bench/load/run.sh --wenku BIN --data DIR (a library)" >&2; exit 2; }
command -v wrk >/dev/null || { echo "run.sh: needs wrk (apt-get install wrk)" >&2; exit 2; }

tmp=$(mktemp -d)
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

export WENKU_LOAD_TARGETS="$tmp/targets.lua"
python3 - "$data/wenku.sqlite" "$WENKU_LOAD_TARGETS" <<'PY'
import sqlite3, sys, urllib.parse
db, out = sys.argv[1], sys.argv[2]
ids = [r[0] for r in sqlite3.connect(f"file:{db}?mode=ro", uri=True).execute(
    "SELECT id FROM documents WHERE deleted = 0 ORDER BY random() LIMIT 2000")]
queries = [l.strip() for l in open("bench/search/natural_queries.txt", encoding="utf-8")
           if l.strip() and not l.startswith("#")]
adversarial = []
for line in open("bench/adversarial/queries.tsv", encoding="utf-8"):
    if line.startswith("#") or "\t" not in line:
        continue
    adversarial.append(line.rstrip("\n").split("\t", 1)[1].replace("\\t", "\t").replace("\\n", "\n"))
lua = lambda xs: "{" + ",".join('"%s"' % urllib.parse.quote(x, safe="") for x in xs) + "}"
with open(out, "w", encoding="utf-8") as f:
    f.write("return {docs=%s, queries=%s, adversarial=%s,\n" % (lua(ids), lua(queries), lua(adversarial)))
    f.write("  weights={doc=40, search=30, home=15}}\n")
print(f"targets: {len(ids)} documents, {len(queries)} queries, {len(adversarial)} adversarial",
      file=sys.stderr)
PY

taskset -c 0 "$wenku" serve --data "$data" --listen 127.0.0.1:0 --workers 1 --threads 1 \
  --trusted-proxy 127.0.0.1 >"$tmp/server.out" 2>/dev/null &
server_pid=$!
port=""
for _ in $(seq 600); do
  port=$(sed -n 's|.*serving .* at http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$tmp/server.out")
  [ -n "$port" ] && break
  kill -0 "$server_pid" 2>/dev/null || { echo "run.sh: the server exited" >&2; exit 1; }
  sleep 0.5
done
[ -n "$port" ] || { echo "run.sh: the server did not start" >&2; exit 1; }
url="http://127.0.0.1:$port"
rss() { awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$server_pid/status"; }
load() {  # load SCRIPT CONNECTIONS DURATION -> the RESULT line
  taskset -c 1 wrk -t1 -c"$2" -d"$3" --timeout 10s -s "bench/load/$1" "$url" | grep '^RESULT'
}
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2"; }

load mix.lua "$connections" 10s >/dev/null  # warm-up
echo "| run | requests/s | p50 ms | p99 ms | 2xx | 429 | other non-2xx | socket errors | RSS before → after MB |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---|"
for r in $(seq "$rounds"); do
  before=$(rss)
  line=$(load mix.lua "$connections" "$duration")
  echo "| mix $r | $(field rps "$line") | $(field p50_ms "$line") | $(field p99_ms "$line") |" \
       "$(field ok "$line") | $(field limited "$line") | $(field other "$line") |" \
       "$(field socket_errors "$line") | $before → $(rss) |"
  base_p99=$(field p99_ms "$line")
done
before=$(rss)
load adversarial.lua 2 "$duration" >"$tmp/adversarial" &
adversarial_pid=$!
line=$(load mix.lua "$((connections - 2))" "$duration")
wait "$adversarial_pid"
adv=$(cat "$tmp/adversarial")
share=$(awk -v a="$(field requests "$adv")" -v m="$(field requests "$line")" \
  'BEGIN {printf "%.1f", 100 * a / (a + m)}')
echo "| mix + adversarial ($share %) | $(field rps "$line") | $(field p50_ms "$line") |" \
     "$(field p99_ms "$line") | $(field ok "$line") | $(field limited "$line") |" \
     "$(field other "$line") | $(field socket_errors "$line") | $before → $(rss) |"
echo
echo "adversarial queries: $(field requests "$adv") sent, p50 $(field p50_ms "$adv") ms," \
     "p99 $(field p99_ms "$adv") ms; mix p99 with them / without: $(awk -v a="$(field p99_ms "$line")" \
     -v b="$base_p99" 'BEGIN {printf "%.2f", a / b}')x"
