#!/usr/bin/env python3
"""Replays the search-oracle attack of issue 19 against a real `wenku serve`.

The attack: a guest knows a gated document's title and preview. Exact-phrase searches
limited to that title (标题:"TITLE" "PHRASE") answer yes or no, so extending the last
CONTEXT characters of what is known by one candidate character at a time (candidates by
their frequency in what is known, then in the other texts of the corpus file: the
attacker's table of common characters) rebuilds the text after the preview wherever phrases
match the whole text.

The script imports one document of the corpus into a fresh library, serves it, runs the
attack as a guest within a query budget and prints how many characters after the preview
it recovered (compared with the stored text, which `wenku export` gives the operator).
With --expect-at-most N it fails when more were recovered; with --expect-at-least N (used
against `serve --guest-full-text`, where phrases do search whole texts) when fewer were:
that run shows the attack itself works, so the first cannot pass by being broken.

Usage: oracle_attack.py --wenku BIN --corpus FILE.jsonl --id ID [--guest-full-text]
                        [--budget N] (--expect-at-most N | --expect-at-least N)
"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request

CONTEXT = 12
QUOTES = "\"“”"


def fetch_json(port, path):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as r:
        return json.load(r)


def finds(port, query):
    """True when /api/v1/search finds documents holding every term of `query` (not an
    answer relaxed to any of them)."""
    path = "/api/v1/search?" + urllib.parse.urlencode({"q": query, "limit": 1})
    try:
        answer = fetch_json(port, path)
    except urllib.error.HTTPError as e:
        if e.code in (400, 429):
            return False
        raise
    return answer["total"] > 0 and not answer.get("relaxed", False)


def quoted(text):
    return "“" + text + "”"


def attack(port, title, known, common, budget):
    """Extends `known` one character at a time, trying its own characters by frequency, then
    those of `common` (a Counter); returns (the characters added, queries)."""
    # Quotes would end the phrase early (and then always match).
    usable = lambda c: not c.isspace() and c not in QUOTES
    counts = collections.Counter(c for c in known if usable(c))
    candidates = [c for c, _ in counts.most_common()]
    candidates += [c for c, _ in common.most_common() if c not in counts and usable(c)]
    added = ""
    queries = 0
    while queries < budget:
        context = (known + added)[-CONTEXT:]
        if re.search(r"\s", context):
            context = re.split(r"\s", context)[-1]
        for c in candidates:
            if queries >= budget:
                break
            queries += 1
            if finds(port, f"标题:{quoted(title)} {quoted(context + c)}"):
                added += c
                break
        else:
            break  # no candidate extends the text: the attack is stuck
    return added, queries


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wenku", required=True)
    ap.add_argument("--corpus", required=True, help="a .jsonl file of the corpus")
    ap.add_argument("--id", required=True, help="the id of the document to attack")
    ap.add_argument("--guest-full-text", action="store_true")
    ap.add_argument("--budget", type=int, default=8000)
    bound = ap.add_mutually_exclusive_group(required=True)
    bound.add_argument("--expect-at-most", type=int)
    bound.add_argument("--expect-at-least", type=int)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "data")
        one = os.path.join(tmp, "one.jsonl")
        common = collections.Counter()
        found = False
        with open(args.corpus, encoding="utf-8") as f, open(one, "w", encoding="utf-8") as out:
            for line in f:
                record = json.loads(line)
                if record.get("id") == args.id:
                    out.write(line)
                    found = True
                else:
                    common.update(record.get("content", ""))
        if not found:
            sys.exit(f"oracle_attack: no document {args.id} in {args.corpus}")
        subprocess.run([args.wenku, "import", "--data", data, one], check=True,
                       stdout=subprocess.DEVNULL)
        whole = os.path.join(tmp, "whole.txt")
        subprocess.run([args.wenku, "export", "--data", data, "--format", "txt", "--out", whole,
                        args.id], check=True, stdout=subprocess.DEVNULL)
        with open(whole, encoding="utf-8") as f:
            stored = f.read()

        serve = [args.wenku, "serve", "--data", data, "--listen", "127.0.0.1:0", "--workers", "1",
                 "--rate-limits", "off"]
        if args.guest_full_text:
            serve.append("--guest-full-text")
        server = subprocess.Popen(serve, stdout=subprocess.PIPE, text=True)
        try:
            port = None
            for line in server.stdout:
                m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
                if m:
                    port = int(m.group(1))
                    break
            if port is None:
                sys.exit("oracle_attack: the server did not start")
            doc = fetch_json(port, "/api/v1/docs/" + urllib.parse.quote(args.id))
            preview = doc["content"]
            if doc["complete"]:
                # Open texts: attack from the same point a guest's preview would end at.
                preview = preview[:600]
            start = stored.find(preview)
            if start < 0:
                sys.exit("oracle_attack: the preview is not part of the stored text")
            truth = stored[start + len(preview):]
            added, queries = attack(port, doc["title"], preview, common, args.budget)
        finally:
            server.terminate()
            server.wait(timeout=30)

    recovered = 0
    while recovered < len(added) and recovered < len(truth) and added[recovered] == truth[recovered]:
        recovered += 1
    print(f"oracle_attack: {args.id}: {recovered} characters after the preview recovered "
          f"({len(added)} guessed) with {queries} queries"
          f"{' (guests read full texts)' if args.guest_full_text else ''}")
    if args.expect_at_most is not None and recovered > args.expect_at_most:
        print(f"FAILED: more than {args.expect_at_most}")
        return 1
    if args.expect_at_least is not None and recovered < args.expect_at_least:
        print(f"FAILED: fewer than {args.expect_at_least}")
        return 1
    print("PASSED")
    return 0


if __name__ == "__main__":
    sys.exit(main())
