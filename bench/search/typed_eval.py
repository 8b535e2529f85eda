#!/usr/bin/env python3
"""Evaluate `wenku search` on the typed-query set (bench/search/typed_queries.tsv).

    python3 bench/search/typed_eval.py --wenku PATH_TO_WENKU --data DATA_DIR \
        [--queries bench/search/typed_queries.tsv] [--json OUT.json] [--jobs 2]

For each query it runs `WENKU search --data DATA_DIR --json --limit 10 -- QUERY`, finds the
rank of the first expected id among the hits, prints one table row per query and a summary:
top-1 %, top-3 %, MRR@10 (1/rank of the first expected hit within the top 10, else 0), per
group (the note's first field) and overall. The last line is
`typed queries: N, top-1 X%, top-3 Y%, MRR Z`. Standard library only.
"""

import argparse
import concurrent.futures
import json
import os
import subprocess
import sys
import time
import unicodedata

LIMIT = 10
HERE = os.path.dirname(os.path.abspath(__file__))


def load_queries(path):
    """Returns [{query, expected: [ids], note, group}] from the TSV (lines starting '#' skipped)."""
    queries = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) < 2 or not fields[0] or not fields[1].strip():
                sys.exit(f"{path}:{lineno}: expected 'query<TAB>ids<TAB>note', got {line!r}")
            note = fields[2] if len(fields) > 2 else ""
            group = note.split(";", 1)[0].strip() if ";" in note else ""
            expected = [i.strip() for i in fields[1].split(",") if i.strip()]
            queries.append({"query": fields[0], "expected": expected, "note": note, "group": group})
    return queries


def parse_output(stdout):
    """Parses the JSON answer, skipping any log lines before the first line starting with '{'."""
    lines = stdout.splitlines(keepends=True)
    for n, line in enumerate(lines):
        if line.startswith("{"):
            text = "".join(lines[n:])
            obj, _ = json.JSONDecoder().raw_decode(text)
            return obj
    raise ValueError("no JSON object in the output")


def run_one(wenku, data, item, timeout):
    cmd = [wenku, "search", "--data", data, "--json", "--limit", str(LIMIT), "--", item["query"]]
    result = dict(item)
    started = time.monotonic()
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=timeout)
        result["seconds"] = round(time.monotonic() - started, 3)
        stdout = proc.stdout.decode("utf-8", errors="replace")
        if proc.returncode != 0:
            err = proc.stderr.decode("utf-8", errors="replace").strip().splitlines()
            raise RuntimeError(f"exit {proc.returncode}: {err[-1] if err else ''}")
        answer = parse_output(stdout)
    except Exception as exc:  # noqa: BLE001 - any failure counts as a miss and is reported
        result.update(error=str(exc), hits=[], total=None, rank=None)
        return result
    hits = [h.get("id") for h in answer.get("hits", [])]
    rank = None
    wanted = set(item["expected"])
    for n, hit in enumerate(hits[:LIMIT], 1):
        if hit in wanted:
            rank = n
            break
    result.update(hits=hits, total=answer.get("total"), rank=rank)
    for field in ("interpretation", "notice", "relaxed", "did_you_mean"):
        if field in answer:
            result[field] = answer[field]
    return result


def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def cell(s, w):
    """Cuts s to display width w and pads it (CJK characters count as two columns)."""
    out, used = [], 0
    for c in s:
        cw = 2 if unicodedata.east_asian_width(c) in "WF" else 1
        if used + cw > w:
            break
        out.append(c)
        used += cw
    return "".join(out) + " " * (w - used)


def show(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def summarize(results):
    n = len(results)
    if n == 0:
        return {"queries": 0, "top1": 0.0, "top3": 0.0, "mrr": 0.0}
    top1 = sum(1 for r in results if r["rank"] == 1)
    top3 = sum(1 for r in results if r["rank"] is not None and r["rank"] <= 3)
    mrr = sum(1.0 / r["rank"] for r in results if r["rank"] is not None and r["rank"] <= LIMIT) / n
    return {"queries": n, "top1": round(100.0 * top1 / n, 1), "top3": round(100.0 * top3 / n, 1),
            "mrr": round(mrr, 3)}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--wenku", required=True, help="the wenku binary")
    ap.add_argument("--data", required=True, help="data directory (as for wenku --data)")
    ap.add_argument("--queries", default=os.path.join(HERE, "typed_queries.tsv"))
    ap.add_argument("--json", help="write per-query results and the summary to this file")
    ap.add_argument("--jobs", type=int, default=2, help="queries run in parallel (default 2)")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds per query")
    args = ap.parse_args()

    queries = load_queries(args.queries)
    if not queries:
        sys.exit(f"no queries in {args.queries}")
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        results = list(pool.map(lambda q: run_one(args.wenku, args.data, q, args.timeout), queries))

    has_interp = any("interpretation" in r for r in results)
    has_flags = any(r.get("relaxed") or r.get("did_you_mean") or r.get("notice") or r.get("error")
                    for r in results)
    qw = min(34, max(width(r["query"]) for r in results))
    head = f"{'#':>3}  {cell('query', qw)}  {cell('expected', 26)}  {'rank':>4}  {'total':>6}"
    if has_interp:
        head += "  interpretation"
    if has_flags:
        head += "  | flags"
    print(head)
    print("-" * width(head))
    for n, r in enumerate(results, 1):
        expected = r["expected"][0] + (f" +{len(r['expected']) - 1}" if len(r["expected"]) > 1 else "")
        rank = str(r["rank"]) if r["rank"] is not None else "-"
        total = str(r["total"]) if r["total"] is not None else "?"
        row = f"{n:>3}  {cell(r['query'], qw)}  {cell(expected, 26)}  {rank:>4}  {total:>6}"
        if has_interp:
            row += "  " + show(r.get("interpretation"))
        flags = []
        if r.get("error"):
            flags.append("error: " + r["error"])
        if r.get("relaxed"):
            flags.append("relaxed")
        if r.get("did_you_mean"):
            flags.append("did_you_mean=" + show(r["did_you_mean"]))
        if r.get("notice"):
            flags.append("notice=" + show(r["notice"]))
        if flags:
            row += "  | " + "; ".join(flags)
        print(row)

    groups = {}
    for r in results:
        groups.setdefault(r["group"] or "-", []).append(r)
    kinds = {}
    for r in results:
        kind = r["note"].split(";", 1)[1].split(":", 1)[0].strip() if ";" in r["note"] else "-"
        kinds.setdefault(kind or "-", []).append(r)
    print()
    print(f"{'group':<10} {'N':>4} {'top-1':>7} {'top-3':>7} {'MRR':>6}")
    by_group = {}
    for name, rs in list(groups.items()) + [("", [])] + list(kinds.items()):
        if not name:
            print()
            continue
        s = summarize(rs)
        by_group[name] = s
        print(f"{name:<10} {s['queries']:>4} {s['top1']:>6.1f}% {s['top3']:>6.1f}% {s['mrr']:>6.3f}")
    overall = summarize(results)
    errors = sum(1 for r in results if r.get("error"))
    print()
    print(f"queries: {overall['queries']}" + (f" ({errors} failed to run)" if errors else ""))
    print(f"top-1: {overall['top1']:.1f}%  top-3: {overall['top3']:.1f}%  MRR@10: {overall['mrr']:.3f}")
    print(f"typed queries: {overall['queries']}, top-1 {overall['top1']:.1f}%, "
          f"top-3 {overall['top3']:.1f}%, MRR {overall['mrr']:.3f}")

    if args.json:
        out = {"wenku": args.wenku, "data": args.data, "queries_file": args.queries, "limit": LIMIT,
               "summary": overall, "by_group": by_group, "results": results}
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(out, f, ensure_ascii=False, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
