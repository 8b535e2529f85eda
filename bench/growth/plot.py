"""The growth benchmark's chart as a self-contained SVG, and the fits it draws.

matplotlib is not a dependency of the project (Debian's python3 lacks it here), so the
chart is written by hand: four panels against the number of documents, one marker per
measured size, and for each series the power law y = a·n^b fitted by least squares on
log y against log n (drawn dotted, its exponent b in the legend: b ≈ 1 is linear growth,
b > 1 worse than linear). Both axes are linear and start at 0.
"""

import math
from xml.sax.saxutils import escape

COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"]


def power_fit(xs, ys):
    """(a, b) of y = a·x^b, least squares in log–log; None below two usable points."""
    pts = [(math.log(x), math.log(y)) for x, y in zip(xs, ys) if x and y and x > 0 and y > 0]
    if len(pts) < 2:
        return None
    mx = sum(p[0] for p in pts) / len(pts)
    my = sum(p[1] for p in pts) / len(pts)
    sxx = sum((p[0] - mx) ** 2 for p in pts)
    if sxx == 0:
        return None
    b = sum((p[0] - mx) * (p[1] - my) for p in pts) / sxx
    return math.exp(my - b * mx), b


def affine_fit(xs, ys):
    """(c, d) of y = c + d·x, least squares; None below two points."""
    pts = [(x, y) for x, y in zip(xs, ys) if x is not None and y is not None]
    if len(pts) < 2:
        return None
    mx = sum(p[0] for p in pts) / len(pts)
    my = sum(p[1] for p in pts) / len(pts)
    sxx = sum((p[0] - mx) ** 2 for p in pts)
    if sxx == 0:
        return None
    d = sum((p[0] - mx) * (p[1] - my) for p in pts) / sxx
    return my - d * mx, d


def nice_max(v):
    """A round axis maximum at or above v."""
    if v <= 0:
        return 1
    e = 10 ** math.floor(math.log10(v))
    for m in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if m * e >= v:
            return m * e
    return 10 * e


def fmt(v):
    if v >= 100 or v == int(v):
        return "%d" % round(v)
    return ("%.1f" % v) if v >= 10 else ("%.2f" % v).rstrip("0").rstrip(".")


PANELS = [
    ("Import (wenku import)", "minutes",
     [("wall", lambda r: r.get("import_s") and r["import_s"] / 60),
      ("CPU", lambda r: r.get("import_cpu_s") and r["import_cpu_s"] / 60)]),
    ("On disk", "MB",
     [("store", lambda r: r.get("store_mb")), ("index", lambda r: r.get("index_mb"))]),
    ("Serving node RSS after warm-up", "MB",
     [("RSS", lambda r: r.get("rss_warm_mb")), ("file-backed", lambda r: r.get("rss_file_mb")),
      ("anonymous", lambda r: r.get("rss_anon_mb"))]),
    ("Search, one core, one client", "ms",
     [("p50", lambda r: r.get("search_p50_ms")), ("p99", lambda r: r.get("search_p99_ms")),
      ("server CPU / query", lambda r: r.get("server_cpu_ms_per_query"))]),
]


def render(results):
    """The SVG text for `results` (rows of run.py)."""
    w, h, cols = 430, 300, 2
    rows_n = (len(PANELS) + cols - 1) // cols
    width, height = w * cols, h * rows_n + 40
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" '
           'font-family="DejaVu Sans, Arial, sans-serif" font-size="11">' % (width, height, width,
                                                                            height),
           '<rect width="100%" height="100%" fill="white"/>']
    stores = sorted({r["store"] for r in results})
    title = "Wenku growth: copies of the corpus (23,296 documents each); store: %s" % ", ".join(
        stores)
    out.append('<text x="%d" y="20" text-anchor="middle" font-size="13" font-weight="bold">%s'
               '</text>' % (width // 2, escape(title)))
    all_docs = [r.get("documents") or r.get("documents_in_files") for r in results]
    xmax = nice_max(max([d for d in all_docs if d] or [1]) / 1000)
    for i, (name, unit, series) in enumerate(PANELS):
        ox, oy = (i % cols) * w, 40 + (i // cols) * h
        left, right, top, bottom = ox + 55, ox + w - 15, oy + 22, oy + h - 45
        values = []
        lines = []
        for store in stores:
            rows = sorted((r for r in results if r["store"] == store),
                          key=lambda r: r.get("documents") or r["documents_in_files"])
            xs = [(r.get("documents") or r["documents_in_files"]) / 1000 for r in rows]
            for j, (label, get) in enumerate(series):
                ys = [get(r) for r in rows]
                values += [y for y in ys if y]
                lines.append((store, label, j, xs, ys))
        ymax = nice_max(max(values or [1]))
        sx = lambda x: left + (right - left) * x / xmax  # noqa: E731
        sy = lambda y: bottom - (bottom - top) * y / ymax  # noqa: E731
        out.append('<text x="%d" y="%d" font-weight="bold">%s</text>' % (left, oy + 14,
                                                                           escape(name)))
        for t in range(6):
            yv, xv = ymax * t / 5, xmax * t / 5
            out.append('<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#ddd"/>' % (
                left, sy(yv), right, sy(yv)))
            out.append('<text x="%.1f" y="%.1f" text-anchor="end">%s</text>' % (
                left - 4, sy(yv) + 4, fmt(yv)))
            out.append('<text x="%.1f" y="%.1f" text-anchor="middle">%s</text>' % (
                sx(xv), bottom + 14, fmt(xv)))
        out.append('<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#555"/>' % (
            left, top, right - left, bottom - top))
        out.append('<text x="%d" y="%d" text-anchor="middle">thousand documents</text>' % (
            (left + right) // 2, bottom + 30))
        out.append('<text x="%d" y="%d" text-anchor="middle" transform="rotate(-90 %d %d)">%s'
                   '</text>' % (ox + 14, (top + bottom) // 2, ox + 14, (top + bottom) // 2, unit))
        legend_y = top + 12
        for store, label, j, xs, ys in lines:
            color = COLORS[j % len(COLORS)]
            dash = ' stroke-dasharray="6 3"' if store != "sqlite" else ""
            pts = [(x, y) for x, y in zip(xs, ys) if y]
            if not pts:
                continue
            out.append('<polyline fill="none" stroke="%s" stroke-width="1.5"%s points="%s"/>' % (
                color, dash, " ".join("%.1f,%.1f" % (sx(x), sy(y)) for x, y in pts)))
            for x, y in pts:
                out.append('<circle cx="%.1f" cy="%.1f" r="3" fill="%s"/>' % (sx(x), sy(y), color))
            fit = power_fit([p[0] for p in pts], [p[1] for p in pts])
            text = label + ("" if len(stores) == 1 else " (%s)" % store)
            if fit and len(pts) >= 2:
                a, b = fit
                n0 = max(min(p[0] for p in pts) * 0.5, xmax / 200)
                curve = [(n0 + (xmax - n0) * s / 40) for s in range(41)]
                curve = [(x, a * x ** b) for x in curve if a * x ** b <= ymax * 1.02]
                if len(curve) > 1:
                    out.append('<polyline fill="none" stroke="%s" stroke-width="1" '
                               'stroke-dasharray="1 3" points="%s"/>' % (
                                   color, " ".join("%.1f,%.1f" % (sx(x), sy(y)) for x, y in curve)))
                text += "  ∝ n^%.2f" % b
            out.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="2"%s/>' % (
                left + 8, legend_y - 4, left + 26, legend_y - 4, color, dash))
            out.append('<text x="%d" y="%d">%s</text>' % (left + 30, legend_y, escape(text)))
            legend_y += 14
    out.append("</svg>")
    return "\n".join(out) + "\n"
