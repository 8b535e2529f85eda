"""Corpus sampling, normalisation, brute-force ground truth and the query set.

Everything here is deterministic for a given corpus, --docs, --queries and seed, so two
runs (or two machines) measure the engines on the same documents and queries.
"""

import bisect
import json
import os
import random
import re
import subprocess
import unicodedata

CORPUS_FILES = [
    "gov_work_reports.jsonl",
    "cpc_congress_reports.jsonl",
    "xi_speeches_2020.jsonl",
    "xinwen_lianbo.jsonl.zst",
    "laws_regulations.jsonl.zst",
]
CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
SEPARATOR = "\x00"  # never inside a query, so no match can span two documents


def normalise(text):
    """The normalisation every checker applies: NFKC, then case folding."""
    return unicodedata.normalize("NFKC", text).casefold()


# Han blocks whose characters OpenCC's t2s.json may change.
HAN_RANGES = [(0x2E80, 0x2FDF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF),
              (0x20000, 0x3FFFF)]


def traditional_folder():
    """A function folding Traditional characters to Simplified one character at a time, as
    Wenku's text::normalize_key does: OpenCC's t2s.json (the `opencc` tool of the same
    OpenCC release as the library) applied to every Han character on a line of its own, so
    that no phrase rule applies; characters that do not become exactly one character stay."""
    chars = [chr(c) for lo, hi in HAN_RANGES for c in range(lo, hi + 1)
             if not 0xD800 <= c <= 0xDFFF]
    out = subprocess.run(["opencc", "-c", "t2s.json"], input="\n".join(chars) + "\n",
                         capture_output=True, text=True, check=True).stdout.split("\n")
    table = {ord(c): o for c, o in zip(chars, out) if len(o) == 1 and o != c}
    for _ in range(3):  # closed under repetition, as normalize_key's table
        table = {c: table.get(ord(o), o) for c, o in table.items()}
    return lambda text: normalise(text).translate(table)


def read_corpus(corpus_dir):
    """Yields every record of the corpus in file order (.zst files through `zstd -dc`)."""
    for name in CORPUS_FILES:
        path = os.path.join(corpus_dir, name)
        if name.endswith(".zst"):
            data = subprocess.run(["zstd", "-dc", path], check=True, capture_output=True).stdout
            lines = data.decode("utf-8").splitlines()
        else:
            with open(path, encoding="utf-8") as f:
                lines = f.read().splitlines()
        for line in lines:
            if line.strip():
                yield json.loads(line)


def sample_corpus(corpus_dir, limit, seed):
    """All documents, or `limit` of them drawn with `seed` (kept in corpus order)."""
    docs = list(read_corpus(corpus_dir))
    if limit and limit < len(docs):
        keep = sorted(random.Random(seed).sample(range(len(docs)), limit))
        docs = [docs[i] for i in keep]
    return docs


class GroundTruth:
    """Brute-force substring matching over normalised title + content of every document;
    `fold` is the normalisation (default `normalise`)."""

    def __init__(self, docs, fold=normalise):
        self.fold = fold
        parts, self.starts = [], []
        offset = 0
        for d in docs:
            text = fold(d["title"] + "\n" + d["content"])
            self.starts.append(offset)
            parts.append(text)
            offset += len(text) + 1
        self.text = SEPARATOR.join(parts)
        self.ids = [d["id"] for d in docs]
        self.titles = [d["title"] for d in docs]
        self.index_of = {d["id"]: i for i, d in enumerate(docs)}
        self._cache = {}

    def docs_with(self, term):
        """Indexes of the documents whose normalised text contains `term`."""
        term = self.fold(term)
        if term not in self._cache:
            found, pos = set(), self.text.find(term)
            while pos >= 0:
                doc = bisect.bisect_right(self.starts, pos) - 1
                found.add(doc)
                nxt = self.starts[doc + 1] if doc + 1 < len(self.starts) else len(self.text)
                pos = self.text.find(term, nxt)  # next document
            self._cache[term] = found
        return self._cache[term]

    def matching(self, terms):
        """Indexes of the documents that contain every term."""
        sets = sorted((self.docs_with(t) for t in terms), key=len)
        out = set(sets[0])
        for s in sets[1:]:
            out &= s
        return out

    def contains_all(self, doc_id, terms):
        i = self.index_of.get(doc_id)
        if i is None:
            return False
        end = self.starts[i + 1] - 1 if i + 1 < len(self.starts) else len(self.text)
        body = self.text[self.starts[i]:end]
        return all(self.fold(t) in body for t in terms)


def _cjk_lines(doc, min_len):
    return [line for line in doc["content"].split("\n")
            if any(len(run) >= min_len for run in CJK_RUN.findall(line))]


def _segment(lines, wenku):
    """Words of each line, by Wenku's own segmenter (`wenku segment`)."""
    out = subprocess.run([wenku, "segment"], input="\n".join(lines), text=True,
                         capture_output=True, check=True).stdout.split("\n")
    return [line.split() for line in out[:len(lines)]]


def _words(segmented):
    return [w for w in segmented if 2 <= len(w) <= 4 and CJK_RUN.fullmatch(w)]


def generate_queries(docs, count, seed, wenku):
    """`count` queries drawn from `docs` with `seed`: 40% words of 2-4 characters (from
    Wenku's segmenter), 30% phrases of 6-12 characters, 30% two-word AND queries. Each
    query records the document it came from."""
    rng = random.Random(seed)
    plans = []
    while len(plans) < count + count // 5 + 5:  # spares for lines without words
        doc = docs[rng.randrange(len(docs))]
        lines = _cjk_lines(doc, 6)
        if not lines:
            continue
        kind = rng.choices(["word", "phrase", "and"], [4, 3, 3])[0]
        picks = [rng.choice(lines) for _ in range(2 if kind == "and" else 1)]
        plans.append((kind, doc["id"], picks, rng.random(), rng.random()))
    segmented = iter(_segment([p for plan in plans if plan[0] != "phrase" for p in plan[2]], wenku))
    queries = []
    for kind, doc_id, picks, r1, r2 in plans:
        if kind == "phrase":
            runs = [run for run in CJK_RUN.findall(picks[0]) if len(run) >= 6]
            run = runs[int(r1 * len(runs))]
            n = min(len(run), 6 + int(r2 * 7))
            start = int(r1 * (len(run) - n + 1)) % (len(run) - n + 1)
            terms = [run[start:start + n]]
            text = '"%s"' % terms[0]
        else:
            word_lists = [_words(next(segmented)) for _ in picks]
            terms = []
            for words, r in zip(word_lists, (r1, r2)):
                candidates = [w for w in words if w not in terms]
                if candidates:
                    terms.append(candidates[int(r * len(candidates))])
            if not terms:
                continue
            text = " ".join(terms)
        queries.append({"kind": kind if len(terms) > 1 or kind != "and" else "word",
                        "text": text, "terms": terms, "source": doc_id})
    return queries[:count]


def natural_queries(path):
    """The hand-written queries: one per line, words separated by spaces, '#' comments."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                out.append({"kind": "natural", "text": line, "terms": line.split(), "source": None})
    return out
