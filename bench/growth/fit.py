#!/usr/bin/env python3
"""Fits each measure of the growth benchmark against the number of documents and
extrapolates it (docs/capacity.md takes its tables from here).

    python3 bench/growth/fit.py [RESULTS_JSON] [--store sqlite] [--at 1000000,10000000]

For every measure: the power law y = a·n^b (least squares of log y on log n; b is the growth
exponent: 1 linear, above 1 worse than linear) and the straight line y = c + d·n (c is what
does not grow with the library: start-up, dictionaries, code), each evaluated at the sizes
of --at. Extrapolations from three sizes of one machine, 23,296 to 232,960 documents: the
further out, the rougher (and see docs/capacity.md for what the synthetic copies do not
reproduce).
"""

import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from plot import affine_fit, power_fit  # noqa: E402

MEASURES = [
    ("import wall, s", lambda r: r.get("import_s")),
    ("import CPU, s", lambda r: r.get("import_cpu_s")),
    ("import peak RSS, MB", lambda r: r.get("import_peak_rss_mb")),
    ("import peak anonymous RSS, MB", lambda r: r.get("import_peak_anon_mb")),
    ("store on disk, MB", lambda r: r.get("store_mb")),
    ("index on disk, MB", lambda r: r.get("index_mb")),
    ("serving RSS after warm-up, MB", lambda r: r.get("rss_warm_mb")),
    ("  of it file-backed, MB", lambda r: r.get("rss_file_mb")),
    ("  of it anonymous, MB", lambda r: r.get("rss_anon_mb")),
    ("search p50, ms", lambda r: r.get("search_p50_ms")),
    ("search p99, ms", lambda r: r.get("search_p99_ms")),
    ("server CPU per query, ms", lambda r: r.get("server_cpu_ms_per_query")),
    ("Terms lexicon records", lambda r: r.get("groonga", {}).get("Terms", {}).get("records")),
    ("Terms lexicon key bytes", lambda r: r.get("groonga", {}).get("Terms", {}).get("key_bytes")),
    ("Words lexicon records", lambda r: r.get("groonga", {}).get("Words", {}).get("records")),
    ("Docs table key bytes", lambda r: r.get("groonga", {}).get("Docs", {}).get("key_bytes")),
    ("docs_text segments (of 131,072)",
     lambda r: r.get("groonga", {}).get("Terms.docs_text", {}).get("physical_segments")),
    ("docs_text chunks, MB", lambda r: (r.get("groonga", {}).get("Terms.docs_text", {})
                                        .get("chunk_bytes") or 0) / 1e6 or None),
    ("docs_text on disk, MB", lambda r: (r.get("groonga", {}).get("Terms.docs_text", {})
                                         .get("disk_usage") or 0) / 1e6 or None),
]


def human(v):
    if v is None:
        return ""
    a = abs(v)
    if a >= 1e6:
        return "{:,.0f}".format(v)
    if a >= 100:
        return "{:,.0f}".format(v)
    if a >= 10:
        return "%.1f" % v
    return "%.3g" % v


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("results", nargs="?", default=os.path.join(HERE, "results.json"))
    p.add_argument("--store", default="sqlite")
    p.add_argument("--at", default="1000000,10000000")
    args = p.parse_args()
    rows = sorted((r for r in json.load(open(args.results)) if r["store"] == args.store),
                  key=lambda r: r["factor"])
    at = [int(x) for x in args.at.split(",")]
    ns = [r.get("documents") or r["documents_in_files"] for r in rows]
    head = (["measure"] + ["%s docs (measured)" % "{:,}".format(n) for n in ns] + ["b", "c + d·n"]
            + ["%s: power / line" % "{:,}".format(n) for n in at])
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join(["---"] + ["--:"] * (len(head) - 1)) + "|")
    for name, get in MEASURES:
        ys = [get(r) for r in rows]
        if not any(ys):
            continue
        pf, af = power_fit(ns, ys), affine_fit(ns, ys)
        cells = [name] + [human(y) for y in ys]
        cells.append("%.2f" % pf[1] if pf else "")
        cells.append("%s + %s/1k docs" % (human(af[0]), human(af[1] * 1000)) if af else "")
        for n in at:
            pw = pf[0] * n ** pf[1] if pf else None
            li = af[0] + af[1] * n if af else None
            cells.append("%s / %s" % (human(pw), human(li)))
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
