#!/usr/bin/env python3
"""Multiplies ../shared/corpus into a larger synthetic library for the growth benchmark.

    python3 bench/growth/generate.py --out DIR --factor K [--seed N]
    python3 bench/growth/generate.py --out DIR --copies 4-9

Writes DIR/copy-NN.jsonl (the corpus's own JSON Lines format, which `wenku import` reads)
and DIR/copy-NN.json (what was generated: seed, documents, bytes, sha256). A library of
factor K is copies 0 … K-1; each copy depends only on the corpus, the place-name list and
(seed, copy number), so copies made in separate runs fit together and a rerun with the
same seed writes the same bytes.

- Copy 0 is the corpus itself: its records' lines unchanged.
- Copy c >= 1 has every corpus record once, perturbed:
  - paragraphs shuffled across the documents of the same category (each document keeps its
    number of paragraphs, so sizes stay close to the original's distribution);
  - every run of digits (ASCII or full-width) replaced: a year 1900–2099 moves back by the
    document's year offset (0–6, the same offset as its `date`), any other number becomes a
    random number of the same length;
  - place names (provinces, prefecture-level cities and county-level areas of the npm
    package china-division, which the build unpacks into build/dict/china-division)
    replaced, consistently within a document, by another of the same level;
  - a new id (`gNN-` + the corpus id), the title perturbed the same way (and, when that
    changes nothing, given a suffix such as （征求意见稿）), `source` naming the copy, no `url`.

The corpus is read at run time and nothing of it is stored in the repository.
Python 3 standard library only (and the `zstd` program for the .zst files).
"""

import argparse
import collections
import glob
import hashlib
import json
import os
import random
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "../.."))
GENERATOR_VERSION = 1

DIGITS = re.compile(r"[0-9]+|[０-９]+")
FULL_WIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
ASCII_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")

# Division names that are not place names in running text, and city short forms that are
# ordinary words (长治久安, 世界大同) or clash with a province's short form.
GENERIC_DIVISIONS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
AMBIGUOUS_CITY_SHORT_FORMS = {"大同", "中山", "白山", "黄山", "长治", "吉林", "海南", "三明"}
PROVINCE_SUFFIXES = ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "特别行政区", "省", "市")
# Areas that are zones rather than places (经济技术开发区 …) are left alone.
ZONE_MARKERS = ("开发区", "管理区", "示范区", "园区", "实验区", "新区管委会")
TITLE_SUFFIXES = ("（征求意见稿）", "（试行）", "（修订稿）", "（摘要）", "（{year}年修订）",
                  "（第{n}稿）", "（{place}）")


def parse_copies(spec):
    """"3" → [3]; "0-9" → [0 … 9]; "0,2,5-6" → [0, 2, 5, 6]."""
    out = []
    for part in spec.split(","):
        if "-" in part:
            lo, hi = part.split("-")
            out.extend(range(int(lo), int(hi) + 1))
        elif part:
            out.append(int(part))
    return sorted(set(out))


def corpus_files(corpus_dir):
    """The corpus's JSON Lines files (plain and .zst), in a fixed order."""
    files = sorted(glob.glob(os.path.join(corpus_dir, "*.jsonl")) +
                   glob.glob(os.path.join(corpus_dir, "*.jsonl.zst")))
    if not files:
        sys.exit("generate.py: no *.jsonl or *.jsonl.zst in %s" % corpus_dir)
    return files


def read_lines(path):
    if path.endswith(".zst"):
        data = subprocess.run(["zstd", "-dc", path], check=True, capture_output=True).stdout
    else:
        with open(path, "rb") as f:
            data = f.read()
    return [line for line in data.decode("utf-8").split("\n") if line.strip()]


def read_corpus(corpus_dir):
    """Every record of the corpus as (line, record), in file order."""
    out = []
    for path in corpus_files(corpus_dir):
        for line in read_lines(path):
            out.append((line, json.loads(line)))
    return out


def default_places_dir():
    for d in [os.path.join(REPO, "build", "dict", "china-division")] + sorted(
            glob.glob(os.path.join(REPO, ".deps", "china-division-*", "package", "dist"))):
        if os.path.exists(os.path.join(d, "areas.json")):
            return d
    return None


class Places:
    """The place names of china-division by level, and a fast finder of them in a text.

    Levels: provinces (full name and short form: 广东省 / 广东), prefecture-level cities
    (石家庄市 / 石家庄; a short form only for a city named …市), county-level areas (full
    names of at least three characters). A replacement keeps the level and the form."""

    def __init__(self, directory):
        def names(file):
            with open(os.path.join(directory, file), encoding="utf-8") as f:
                return [x["name"] for x in json.load(f)]

        # Entities per level: (full, short or None). Replacement targets: entities with
        # both forms, so that either form can be written.
        self.levels = {"province": [], "city": [], "area": []}
        for n in names("provinces.json"):
            short = next((n[:-len(s)] for s in PROVINCE_SUFFIXES if n.endswith(s)), n)
            self.levels["province"].append((n, short))
        for n in names("cities.json"):
            if n in GENERIC_DIVISIONS:
                continue
            short = n[:-1] if n.endswith("市") and len(n) >= 3 else None
            self.levels["city"].append((n, short))
        for n in names("areas.json"):
            if len(n) < 3 or n in GENERIC_DIVISIONS or any(m in n for m in ZONE_MARKERS):
                continue
            self.levels["area"].append((n, None))
        self.targets = {level: [e for e in ents if level == "area" or e[1]]
                        for level, ents in self.levels.items()}
        # name → (level, entity index, form); provinces first, so they win a clash.
        self.lookup = {}
        for level in ("province", "city", "area"):
            for i, (full, short) in enumerate(self.levels[level]):
                self.lookup.setdefault(full, (level, i, 0))
                if short and len(short) >= 2 and not (level == "city" and
                                                      short in AMBIGUOUS_CITY_SHORT_FORMS):
                    self.lookup.setdefault(short, (level, i, 1))
        # Candidates by their first two characters, longest first (longest match wins).
        self.by_prefix = collections.defaultdict(list)
        for name in sorted(self.lookup, key=len, reverse=True):
            self.by_prefix[name[:2]].append(name)
        first = "".join(sorted({n[0] for n in self.lookup}))
        second = "".join(sorted({n[1] for n in self.lookup}))
        # Positions whose two characters could start a name: a cheap scan in C; each is then
        # checked against the names with that prefix.
        self.candidate = re.compile("[%s](?=[%s])" % (re.escape(first), re.escape(second)))

    def count(self):
        return len(self.lookup)

    def replace(self, text, rng, memo):
        """`text` with every place name replaced; `memo` maps (level, entity) to its
        replacement within one document."""
        out, last = [], 0
        pos = 0
        while True:
            m = self.candidate.search(text, pos)
            if m is None:
                break
            i = m.start()
            found = None
            for name in self.by_prefix.get(text[i:i + 2], ()):
                if text.startswith(name, i):
                    found = name
                    break
            if found is None:
                pos = i + 1
                continue
            level, index, form = self.lookup[found]
            target = memo.get((level, index))
            if target is None:
                target = rng.choice(self.targets[level])
                memo[(level, index)] = target
            out.append(text[last:i])
            out.append(target[form] if target[form] else target[0])
            last = pos = i + len(found)
        if not out:
            return text
        out.append(text[last:])
        return "".join(out)


class Perturber:
    """Numbers and place names of one document, changed consistently within it."""

    def __init__(self, places, rng):
        self.places, self.rng = places, rng
        self.year_offset = rng.randint(0, 6)
        self.memo = {}

    def number(self, m):
        s = m.group()
        full_width = s[0] > "9"
        digits = s.translate(ASCII_DIGITS) if full_width else s
        if len(digits) == 4 and 1900 <= int(digits) <= 2099:
            new = str(max(1900, int(digits) - self.year_offset))
        else:
            rnd = self.rng
            new = "".join(str(rnd.randrange(10)) for _ in digits)
            if len(digits) > 1 and new[0] == "0":
                new = str(rnd.randrange(1, 10)) + new[1:]
        return new.translate(FULL_WIDTH_DIGITS) if full_width else new

    def text(self, s):
        return self.places.replace(DIGITS.sub(self.number, s), self.rng, self.memo)

    def date(self, d):
        if len(d) < 4 or not d[:4].isdigit():
            return d
        year = max(1900, int(d[:4]) - self.year_offset)
        if d[4:] == "-02-29" and not (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
            return "%04d-02-28" % year
        return "%04d%s" % (year, d[4:])

    def title(self, t):
        new = self.text(t)
        if new != t:
            return new
        suffix = self.rng.choice(TITLE_SUFFIXES)
        place = self.rng.choice(self.places.targets["city"])[0]
        return t + suffix.format(year=self.rng.randint(2000, 2026), n=self.rng.randint(2, 9),
                                 place=place)


def copy_records(corpus, places, seed, copy):
    """The records of copy `copy` (>= 1), in corpus order."""
    rng = random.Random("wenku-growth:%d:%d" % (seed, copy))
    paragraphs = [rec["content"].split("\n") for _, rec in corpus]
    by_category = collections.OrderedDict()
    for i, (_, rec) in enumerate(corpus):
        by_category.setdefault(rec["category"], []).append(i)
    shuffled = [None] * len(corpus)
    for members in by_category.values():
        pool = [p for i in members for p in paragraphs[i]]
        rng.shuffle(pool)
        at = 0
        for i in members:
            n = len(paragraphs[i])
            shuffled[i] = pool[at:at + n]
            at += n
    for i, (_, rec) in enumerate(corpus):
        doc_rng = random.Random("wenku-growth:%d:%d:%s" % (seed, copy, rec["id"]))
        p = Perturber(places, doc_rng)
        out = {"id": "g%02d-%s" % (copy, rec["id"]),
               "title": p.title(rec["title"]),
               "date": p.date(rec.get("date", "")),
               "category": rec["category"],
               "source": "bench/growth copy %d (seed %d) of %s" % (copy, seed, rec["id"]),
               "content": p.text("\n".join(shuffled[i]))}
        if rec.get("subcategory"):
            out["subcategory"] = p.text(rec["subcategory"])
        if rec.get("title_derived"):
            out["title_derived"] = True
        yield out


def write_copy(out_dir, corpus, places, seed, copy):
    path = os.path.join(out_dir, "copy-%02d.jsonl" % copy)
    tmp = path + ".tmp"
    digest = hashlib.sha256()
    docs = content_bytes = 0
    start = time.monotonic()
    with open(tmp, "wb") as f:
        if copy == 0:
            lines = ((line, rec) for line, rec in corpus)
        else:
            lines = ((json.dumps(rec, ensure_ascii=False), rec)
                     for rec in copy_records(corpus, places, seed, copy))
        for line, rec in lines:
            data = (line + "\n").encode("utf-8")
            f.write(data)
            digest.update(data)
            docs += 1
            content_bytes += len(rec["content"].encode("utf-8"))
    os.replace(tmp, path)
    info = {"copy": copy, "seed": seed, "generator_version": GENERATOR_VERSION,
            "documents": docs, "content_bytes": content_bytes,
            "file_bytes": os.path.getsize(path), "sha256": digest.hexdigest(),
            "seconds": round(time.monotonic() - start, 1)}
    with open(os.path.join(out_dir, "copy-%02d.json" % copy), "w") as f:
        json.dump(info, f, indent=1)
        f.write("\n")
    return info


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True, help="directory for copy-NN.jsonl")
    p.add_argument("--factor", type=int, help="write copies 0 … K-1")
    p.add_argument("--copies", help="copy numbers to write, e.g. 0-3 or 4,7")
    p.add_argument("--seed", type=int, default=21)
    p.add_argument("--corpus", default=os.path.normpath(os.path.join(REPO, "../shared/corpus")))
    p.add_argument("--places", default=default_places_dir(),
                   help="directory of china-division's provinces/cities/areas.json "
                        "(default: build/dict/china-division, else .deps/china-division-*)")
    p.add_argument("--missing-only", action="store_true",
                   help="skip copies already written with this seed and generator version")
    args = p.parse_args()
    if args.copies is None and args.factor is None:
        p.error("give --factor or --copies")
    copies = parse_copies(args.copies) if args.copies else list(range(args.factor))
    if not args.places:
        sys.exit("generate.py: no china-division data; build the project first or give --places")
    os.makedirs(args.out, exist_ok=True)
    if args.missing_only:
        copies = [c for c in copies if not is_written(args.out, c, args.seed)]
    if not copies:
        return
    places = Places(args.places)
    corpus = read_corpus(args.corpus)
    print("generate.py: %d corpus records, %d place names; writing copies %s (seed %d) to %s"
          % (len(corpus), places.count(), ",".join(map(str, copies)), args.seed, args.out),
          flush=True)
    for c in copies:
        info = write_copy(args.out, corpus, places, args.seed, c)
        print("  copy %02d: %d documents, %.1f MB of content, %.1f s" %
              (c, info["documents"], info["content_bytes"] / 1e6, info["seconds"]), flush=True)


def is_written(out_dir, copy, seed):
    try:
        with open(os.path.join(out_dir, "copy-%02d.json" % copy)) as f:
            info = json.load(f)
    except (OSError, ValueError):
        return False
    return (info.get("seed") == seed and info.get("generator_version") == GENERATOR_VERSION
            and os.path.exists(os.path.join(out_dir, "copy-%02d.jsonl" % copy)))


if __name__ == "__main__":
    main()
