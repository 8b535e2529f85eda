"""Turns results.json rows into the markdown table and PNG chart of bench/README.md."""

BEGIN, END = "<!-- search-results:begin -->", "<!-- search-results:end -->"


def _pct(x):
    return "%.1f%%" % (100 * x)


def _loads(values):
    """A range of 1-minute load averages, e.g. "0.4–1.2"."""
    lo, hi = min(values), max(values)
    return "%.1f" % lo if abs(hi - lo) < 0.05 else "%.1f–%.1f" % (lo, hi)


def _num(x, fmt):
    """`x` formatted, or "shared" when the row built nothing (Wenku's member row searches the
    guest row's library)."""
    return "shared" if x is None else fmt % x


def markdown(meta, rows):
    repeat = len(rows[0]["c1"].get("passes", [0])) if rows else 0
    lines = [
        "Run %s: %d documents (%.1f MB of title + content), %d queries (seed %d), %d CPUs; "
        "load average %s before, %s after. Latencies and q/s are medians of %d timed passes; "
        "*load* is the 1-minute load average at the start of the build and of each pass." % (
            meta["started"], meta["docs"], meta["corpus_mb"], meta["queries"], meta["seed"],
            meta["cpus"], meta["load_before"], meta["load_after"], repeat),
        "",
        "| engine | build s | MB/s | size MB | load (build) | recall | count exact "
        "| false hits (top 10) | c1 p50 ms | c1 p95 ms | c1 p99 ms | c1 q/s | c4 p50 ms "
        "| c4 p99 ms | c4 q/s | load (timing) | ping ms |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for r in rows:
        c1, c4 = r["c1"], r["c4"]
        lines.append("| %s | %s | %s | %.0f | %.1f | %s | %s%s | %d / %d | %.2f | %.2f | %.2f "
                     "| %.0f | %.2f | %.2f | %.0f | %s | %.3f |" % (
                         r["engine"], _num(r["build_s"], "%.1f"), _num(r["build_mb_s"], "%.2f"),
                         r["size_mb"],
                         r["build_load"], _pct(r["recall"]), _pct(r["count_exact"]),
                         "" if r["exact_count"] else " (estimate)", r["false_hits"],
                         r["returned"], c1["p50_ms"], c1["p95_ms"], c1["p99_ms"], c1["qps"],
                         c4["p50_ms"], c4["p99_ms"], c4["qps"],
                         _loads(c1["loads"] + c4["loads"]), r["floor_ms"]))
    lines += ["", "| engine | queried over | snippets |", "|---|---|---|"]
    lines += ["| %s | %s | %s |" % (r["engine"], r["protocol"], r["snippets"]) for r in rows]
    lines += targets(meta, rows)
    if meta["failures"]:
        lines += ["", "Failed in this run: " + "; ".join(
            "%s (%s)" % kv for kv in meta["failures"].items())]
    misses = [(r["engine"], r["missed_examples"]) for r in rows if r["missed_examples"]]
    if misses:
        lines += ["", "Examples of generated queries whose source document was not found: "
                  + "; ".join("%s: %s" % (e, ", ".join(m)) for e, m in misses)]
    wrong = [(r["engine"], r.get("false_examples")) for r in rows if r.get("false_examples")]
    if wrong:
        lines += ["", "Examples of false hits (query → id): " + "; ".join(
            "%s: %s" % (e, ", ".join(x)) for e, x in wrong)]
    return "\n".join(lines) + "\n"


def _verdict(ok):
    return "met" if ok else "**not met**"


def targets(meta, rows):
    """The issue's targets for Wenku, each with the measured value and met / not met."""
    by_name = {r["engine"]: r for r in rows}
    w, g = by_name.get("Wenku"), by_name.get("Groonga")
    if not w:
        return []
    out = ["", "Targets for Wenku (this run):", "",
           "- exact-substring recall 100%%: %s (%s)" % (_pct(w["recall"]), _verdict(
               w["recall"] == 1)),
           "- zero false hits in the top 10: %d (%s)" % (w["false_hits"], _verdict(
               w["false_hits"] == 0)),
           "- p50 ≤ 1 ms over HTTP on one core: %.2f ms (%s)" % (w["c1"]["p50_ms"], _verdict(
               w["c1"]["p50_ms"] <= 1)),
           "- p99 ≤ 5 ms over HTTP on one core: %.2f ms (%s)" % (w["c1"]["p99_ms"], _verdict(
               w["c1"]["p99_ms"] <= 5))]
    s = meta.get("wenku_scaling")
    if s:
        loads = [r["load"] for runs in s["runs"].values() for r in runs]
        out.append("- two workers ≥ 1.6× one worker on two cores (wrk, %d connections, medians "
                   "of %d runs, load %s): %.0f → %.0f q/s = %.2f× (%s)" % (
                       s.get("connections", 4), len(s["runs"]["1"]), _loads(loads),
                       s["qps_1"], s["qps_2"], s["ratio"], _verdict(s["ratio"] >= 1.6)))
    b = meta.get("build_ratio")
    if b:
        out.append("- import (store + analysis + index) ≤ 2× Groonga's bare index build, "
                   "interleaved on one core, medians of %d rounds: %.1f s vs %.1f s = %.2f× "
                   "(%s; Groonga %s s, Wenku %s s)" % (
                       len(b["wenku_s"]), b["wenku_median"], b["groonga_median"], b["ratio"],
                       _verdict(b["ratio"] <= 2), " / ".join("%.1f" % x for x in b["groonga_s"]),
                       " / ".join("%.1f" % x for x in b["wenku_s"])))
    elif g:
        ratio = w["build_s"] / g["build_s"]
        out.append("- import (store + analysis + index) ≤ 2× Groonga's bare index build: "
                   "%.1f s vs %.1f s = %.1f× (load %.1f / %.1f; one build each) (%s)" % (
                       w["build_s"], g["build_s"], ratio, w["build_load"], g["build_load"],
                       _verdict(ratio <= 2)))
    warm = w.get("c1_warm")
    if warm:
        out.append("- for comparison, Wenku with its query cache warm (every query asked "
                   "before; load %.1f): c1 p50 %.2f ms, p99 %.2f ms, %.0f q/s" % (
                       warm["load"], warm["p50_ms"], warm["p99_ms"], warm["qps"]))
    m = by_name.get("Wenku member")
    if m:
        out += member_targets(meta, w, m, g)
    return out


def member_targets(meta, w, m, g):
    """Issue 17: the member row (snippets from whole texts) against the guest row and
    Groonga's (snippet_html over whole texts)."""
    out = ["", "Targets for Wenku as a logged-in member (issue 17; snippets from the whole "
           "text):", "",
           "- exact counts and zero false hits: count exact %s, %d false hits in %d, recall "
           "%s (%s)" % (_pct(m["count_exact"]), m["false_hits"], m["returned"],
                        _pct(m["recall"]), _verdict(m["count_exact"] == 1 and
                                                    m["false_hits"] == 0))]
    v = meta.get("viewer_ratio")
    rows_p50, rows_p99 = (m["c1"]["p50_ms"] / w["c1"]["p50_ms"],
                          m["c1"]["p99_ms"] / w["c1"]["p99_ms"])
    if v:
        out.append("- member ≤ 1.1× guest, every query asked of both back to back (two fresh "
                   "servers per round, %d rounds × %d queries, load %s): p50 %.2f / %.2f ms = "
                   "%.2f×, p99 %.2f / %.2f ms = %.2f× (%s); median of the per-query ratios "
                   "%.2f×; server CPU per query %.3f / %.3f ms = %.2f×; the table's rows, minutes "
                   "apart: p50 %.2f×, p99 %.2f×" % (
                       v["rounds"], v["queries"], _loads(v["loads"]), v["member_p50_ms"],
                       v["guest_p50_ms"], v["p50_ratio"], v["member_p99_ms"], v["guest_p99_ms"],
                       v["p99_ratio"], _verdict(v["p50_ratio"] <= 1.1 and v["p99_ratio"] <= 1.1),
                       v["paired_median"], v["member_cpu_ms"], v["guest_cpu_ms"], v["cpu_ratio"],
                       rows_p50, rows_p99))
    else:
        out.append("- member ≤ 1.1× guest at concurrency 1 (the table's rows): p50 %.2f×, "
                   "p99 %.2f× (%s)" % (rows_p50, rows_p99,
                                        _verdict(rows_p50 <= 1.1 and rows_p99 <= 1.1)))
    if g:
        p50, p99 = m["c1"]["p50_ms"] / g["c1"]["p50_ms"], m["c1"]["p99_ms"] / g["c1"]["p99_ms"]
        out.append("- member ≤ 0.5× Groonga at concurrency 1: p50 %.2f / %.2f ms = %.2f×, p99 "
                   "%.2f / %.2f ms = %.2f× (%s)" % (
                       m["c1"]["p50_ms"], g["c1"]["p50_ms"], p50, m["c1"]["p99_ms"],
                       g["c1"]["p99_ms"], p99, _verdict(p50 <= 0.5 and p99 <= 0.5)))
    c = m.get("snippet_check")
    if c:
        out.append("- the member's snippets come from the whole text (every query asked "
                   "without and with the cookie, hits both got): %d of %d snippets differ from "
                   "the guest's; %d member snippets (%d queries) show text beyond the %d-character "
                   "preview, median start at character %s; guest snippets beyond the preview: %d "
                   "(%s); not located in the text: member %d, guest %d" % (
                       c["differ"], c["hits"], c["member_beyond_preview"],
                       c["queries_member_beyond"], c.get("preview_chars", 600),
                       "%.0f" % c["member_median_start"] if c["member_median_start"] is not None
                       else "–", c["guest_beyond_preview"],
                       _verdict(c["member_beyond_preview"] > 0 and
                                c["guest_beyond_preview"] == 0),
                       c["member_unlocated"], c["guest_unlocated"]))
        if c["examples"]:
            out.append("  (e.g. %s)" % "; ".join(c["examples"]))
    return out


def chart(rows, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    names = [r["engine"] for r in rows]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
    width = 0.27
    for k, (key, label) in enumerate((("p50_ms", "p50"), ("p95_ms", "p95"), ("p99_ms", "p99"))):
        ax1.bar([i + (k - 1) * width for i in range(len(rows))], [r["c1"][key] for r in rows],
                width, label=label)
    ax1.set_yscale("log")
    ax1.set_ylabel("latency, ms (log), concurrency 1")
    ax1.set_xticks(range(len(rows)), names, rotation=20)
    ax1.axhline(1, color="grey", linestyle=":", linewidth=1)
    ax1.axhline(5, color="grey", linestyle="--", linewidth=1)
    ax1.legend()
    ax2.bar([i - 0.2 for i in range(len(rows))], [r["c1"]["qps"] for r in rows], 0.4,
            label="concurrency 1")
    ax2.bar([i + 0.2 for i in range(len(rows))], [r["c4"]["qps"] for r in rows], 0.4,
            label="concurrency 4")
    ax2.set_ylabel("queries/s (one server core)")
    ax2.set_xticks(range(len(rows)), names, rotation=20)
    ax2.legend()
    loads = [x for r in rows for x in r["c1"]["loads"] + r["c4"]["loads"]]
    fig.suptitle("medians of timed passes; 1-minute load average while timing: %s" % _loads(loads),
                 fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=100)


def publish(table, readme):
    """Replaces the text between the result markers of `readme` with `table`."""
    with open(readme, encoding="utf-8") as f:
        text = f.read()
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    with open(readme, "w", encoding="utf-8") as f:
        f.write(head + BEGIN + "\n" + table + END + tail)
