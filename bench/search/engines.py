"""One adapter per engine: build an index from the documents, serve it on loopback, answer
top-10 queries (with snippets where the engine can) and check one document with a filter.

Every adapter gets a query as a list of terms, all ANDed, each an exact substring (a
phrase in the engine's own syntax), the same meaning as Wenku's `"a" "b"`.
Servers run pinned to one core (SERVER_CPU); they are stopped by stop(), also on errors.
"""

import http.client
import json
import os
import re
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import xml.sax.saxutils

SERVER_CPU = "1"
LIMIT = 10
CONTROL = dict.fromkeys(i for i in range(32) if i not in (9, 10, 13))  # not allowed in XML


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def dir_size(path):
    """Bytes allocated on disk (not the apparent size: Groonga's files are sparse)."""
    if os.path.isfile(path):
        return os.stat(path).st_blocks * 512
    return sum(os.stat(os.path.join(root, f)).st_blocks * 512
               for root, _, files in os.walk(path) for f in files)


def wait_for_port(port, proc, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError("server exited with %s" % proc.returncode)
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("server did not listen on %d" % port)


def pinned(cmd, cpus=SERVER_CPU):
    return ["taskset", "-c", cpus] + cmd


class HttpJson:
    """A keep-alive HTTP/1.1 client for GET requests that return JSON; `headers` go with every
    request (Wenku's member row: its session cookie)."""

    def __init__(self, port, headers=None):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.headers = dict(headers or {})

    def get(self, path, params):
        target = path + "?" + urllib.parse.urlencode(params)
        try:
            self.conn.request("GET", target, headers=self.headers)
            resp = self.conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # The server closed the idle keep-alive connection before reading this request
            # (Groonga's HTTP server does so now and then under four clients). A GET is safe
            # to send again on a fresh connection, as any HTTP client library does; the
            # reconnect is counted in this query's latency.
            self.conn.close()
            print("   (server closed a keep-alive connection; request sent again)",
                  file=sys.stderr, flush=True)
            self.conn.request("GET", target, headers=self.headers)
            resp = self.conn.getresponse()
        body = resp.read()
        if resp.status != 200:
            raise RuntimeError("HTTP %d: %s" % (resp.status, body[:300]))
        return json.loads(body)


class Engine:
    name = ""
    protocol = ""
    snippets = ""  # how the engine makes snippets, or why it does not
    exact_count = True  # whether `total` is meant to be an exact count
    has_query_cache = False  # a result cache large enough to hold every query of the run
    folds_traditional = False  # matches Traditional characters as Simplified ones

    def __init__(self, work, fresh=True):
        """Works in WORK/<name>, emptied first unless not `fresh` (reusing a built index)."""
        self.dir = os.path.join(work, self.name.lower().replace(" ", "-"))
        if fresh:
            shutil.rmtree(self.dir, ignore_errors=True)
            os.makedirs(self.dir)
        self.proc = None

    def prepare(self, docs):
        """Untimed set-up: input files, an empty database, a server to load into."""

    def build(self, docs):
        """Indexes `docs` (the caller times this): load, index build, commit."""
        raise NotImplementedError

    def size(self):
        return dir_size(self.index_path())

    def index_path(self):
        return self.dir

    def start(self):
        """Starts the server (no-op for in-process engines)."""

    def restart(self):
        self.stop()
        self.start()

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.proc = None

    def client(self):
        """A new connection; called once in every client process."""
        raise NotImplementedError


# --- Groonga: HTTP server -----------------------------------------------------------------

class Groonga(Engine):
    name = "Groonga"
    protocol = "HTTP (groonga -s --protocol http)"
    snippets = "snippet_html(content)"

    def prepare(self, docs):
        db = os.path.join(self.dir, "db")
        subprocess.run(["groonga", "-n", db, "quit"], check=True, capture_output=True)
        self.start()

    def build(self, docs):
        c = HttpJson(self.port)
        c.get("/d/table_create", {"name": "Docs", "flags": "TABLE_HASH_KEY",
                                  "key_type": "ShortText"})
        c.get("/d/column_create", {"table": "Docs", "name": "title", "flags": "COLUMN_SCALAR",
                                    "type": "ShortText"})
        c.get("/d/column_create", {"table": "Docs", "name": "content", "flags": "COLUMN_SCALAR",
                                    "type": "LongText"})
        for i in range(0, len(docs), 1000):
            rows = [{"_key": d["id"], "title": d["title"], "content": d["content"]}
                    for d in docs[i:i + 1000]]
            body = json.dumps(rows, ensure_ascii=False).encode()
            c.conn.request("POST", "/d/load?table=Docs", body,
                           {"Content-Type": "application/json"})
            resp = c.conn.getresponse()
            resp.read()
        c.get("/d/table_create", {"name": "Terms", "flags": "TABLE_PAT_KEY", "key_type": "ShortText",
                                  "default_tokenizer": "TokenBigramSplitSymbolAlphaDigit",
                                  "normalizer": "NormalizerNFKC100"})
        c.get("/d/column_create", {"table": "Terms", "name": "docs_index", "flags":
                                   "COLUMN_INDEX|WITH_POSITION|WITH_SECTION", "type": "Docs",
                                   "source": "title,content"})

    def start(self):
        if self.proc is None:
            self.port = free_port()
            self.proc = subprocess.Popen(pinned([
                "groonga", "-s", "--protocol", "http", "--bind-address", "127.0.0.1", "--port",
                str(self.port), "--log-path", os.path.join(self.dir, "groonga.log"),
                "--query-log-path", "/dev/null", os.path.join(self.dir, "db")]))
            wait_for_port(self.port, self.proc)

    def client(self):
        return GroongaClient(self.port)


def groonga_query(terms):
    return " ".join('"%s"' % t.replace("\\", "\\\\").replace('"', '\\"') for t in terms)


class GroongaClient:
    def __init__(self, port):
        self.http = HttpJson(port)

    def ping(self):
        self.http.get("/d/status", {})

    def _select(self, terms, **extra):
        params = {"table": "Docs", "match_columns": "title||content", "query": groonga_query(terms)}
        params.update(extra)
        return self.http.get("/d/select", params)[1][0]

    def search(self, terms):
        res = self._select(terms, output_columns="_key,snippet_html(content)",
                           sort_keys="-_score", limit=LIMIT)
        return res[0][0], [row[0] for row in res[2:]]

    def contains(self, terms, doc_id, num, title):
        res = self._select(terms, filter='_key == "%s"' % doc_id, output_columns="_key", limit=1)
        return res[0][0] > 0


# --- Sphinx: searchd over SphinxQL (MySQL protocol) -----------------------------------------

SPHINX_CONF = """
source src {
  type = xmlpipe2
  xmlpipe_command = cat %(dir)s/docs.xml
}
index idx {
  source = src
  path = %(dir)s/idx
  ngram_len = 1
  ngram_chars = U+3400..U+4DBF, U+4E00..U+9FFF, U+F900..U+FAFF, U+20000..U+2FA1F
  charset_table = 0..9, A..Z->a..z, _, a..z, U+FF10..U+FF19->0..9, U+FF21..U+FF3A->a..z, U+FF41..U+FF5A->a..z
}
indexer {
  mem_limit = 256M
}
searchd {
  listen = 127.0.0.1:%(port)d:mysql41
  log = %(dir)s/searchd.log
  pid_file = %(dir)s/searchd.pid
  binlog_path =
  workers = threads
}
"""


class Sphinx(Engine):
    name = "Sphinx"
    protocol = "SphinxQL (MySQL protocol, pymysql)"
    snippets = "none: Sphinx 2.2 stores no text (CALL SNIPPETS needs the client to send it)"

    def prepare(self, docs):
        self.port = free_port()
        conf = os.path.join(self.dir, "sphinx.conf")
        with open(conf, "w") as f:
            f.write(SPHINX_CONF % {"dir": self.dir, "port": self.port})
        with open(os.path.join(self.dir, "docs.xml"), "w", encoding="utf-8") as f:
            f.write('<?xml version="1.0" encoding="utf-8"?>\n<sphinx:docset>\n<sphinx:schema>'
                    '<sphinx:field name="title"/><sphinx:field name="content"/>'
                    '<sphinx:attr name="sid" type="string"/></sphinx:schema>\n')
            for num, d in enumerate(docs, 1):
                f.write('<sphinx:document id="%d"><sid>%s</sid><title>%s</title><content>%s'
                        '</content></sphinx:document>\n' % (
                            num, xml.sax.saxutils.escape(d["id"]),
                            xml.sax.saxutils.escape(d["title"].translate(CONTROL)),
                            xml.sax.saxutils.escape(d["content"].translate(CONTROL))))
            f.write("</sphinx:docset>\n")
        self.conf = conf

    def build(self, docs):
        subprocess.run(pinned(["indexer", "--config", self.conf, "--all", "--quiet"]), check=True)

    def index_path(self):
        return self.dir + "/idx"

    def size(self):
        return sum(dir_size(os.path.join(self.dir, f)) for f in os.listdir(self.dir)
                   if f.startswith("idx."))

    def start(self):
        if self.proc is None:
            self.proc = subprocess.Popen(pinned(["searchd", "--config", self.conf, "--nodetach"]),
                                         stdout=subprocess.DEVNULL)
            wait_for_port(self.port, self.proc)

    def client(self):
        return SphinxClient(self.port)


def sphinx_query(terms):
    special = '\\()|-!@~"&/^$=<'
    return " ".join('"%s"' % "".join("\\" + ch if ch in special else ch for ch in t)
                    for t in terms)


class SphinxClient:
    def __init__(self, port):
        import pymysql
        self.conn = pymysql.connect(host="127.0.0.1", port=port, autocommit=None, charset="utf8")

    def ping(self):
        with self.conn.cursor() as cur:
            cur.execute("SHOW META")
            cur.fetchall()

    def search(self, terms):
        with self.conn.cursor() as cur:
            cur.execute("SELECT sid FROM idx WHERE MATCH(%s) LIMIT 10", (sphinx_query(terms),))
            ids = [r[0] for r in cur.fetchall()]
            cur.execute("SHOW META LIKE 'total_found'")
            total = int(cur.fetchone()[1])
        return total, ids

    def contains(self, terms, doc_id, num, title):
        with self.conn.cursor() as cur:
            cur.execute("SELECT id FROM idx WHERE MATCH(%s) AND id = %s", (sphinx_query(terms), num))
            return bool(cur.fetchall())


# --- Xapian: in-process (no server of its own) ----------------------------------------------

class Xapian(Engine):
    name = "Xapian"
    protocol = "in-process (python3-xapian)"
    snippets = "MSet.snippet() over the stored text"
    exact_count = False  # get_matches_estimated(): Xapian's own default

    def build(self, docs):
        import xapian
        db = xapian.WritableDatabase(os.path.join(self.dir, "db"), xapian.DB_CREATE_OR_OVERWRITE)
        tg = xapian.TermGenerator()
        tg.set_flags(xapian.TermGenerator.FLAG_CJK_NGRAM)
        for num, d in enumerate(docs, 1):
            doc = xapian.Document()
            tg.set_document(doc)
            tg.index_text(d["title"])
            tg.increase_termpos()
            tg.index_text(d["content"])
            doc.add_boolean_term("Q%d" % num)
            doc.set_data(d["id"])
            doc.add_value(0, d["content"])
            db.replace_document(num, doc)
        db.commit()
        db.close()

    def client(self):
        return XapianClient(os.path.join(self.dir, "db"))


class XapianClient:
    def __init__(self, path):
        import xapian
        self.x = xapian
        self.db = xapian.Database(path)
        self.qp = xapian.QueryParser()
        self.qp.set_database(self.db)
        self.qp.set_default_op(xapian.Query.OP_AND)
        self.flags = (xapian.QueryParser.FLAG_DEFAULT | xapian.QueryParser.FLAG_PHRASE
                      | xapian.QueryParser.FLAG_CJK_NGRAM)
        self.snippet_flags = xapian.MSet.SNIPPET_CJK_NGRAM
        self.stem = xapian.Stem("none")

    def ping(self):
        self.db.get_doccount()

    def _query(self, terms):
        return self.qp.parse_query(" ".join('"%s"' % t.replace('"', " ") for t in terms),
                                   self.flags)

    def search(self, terms):
        enquire = self.x.Enquire(self.db)
        enquire.set_query(self._query(terms))
        mset = enquire.get_mset(0, LIMIT)
        ids = []
        for m in mset:
            ids.append(m.document.get_data().decode())
            mset.snippet(m.document.get_value(0).decode(), 200, self.stem, self.snippet_flags)
        return mset.get_matches_estimated(), ids

    def contains(self, terms, doc_id, num, title):
        enquire = self.x.Enquire(self.db)
        enquire.set_query(self.x.Query(self.x.Query.OP_FILTER, self._query(terms),
                                       self.x.Query("Q%d" % num)))
        return enquire.get_mset(0, 1).size() > 0


# --- SQLite FTS5 (trigram): in-process ------------------------------------------------------

class Fts5(Engine):
    name = "SQLite FTS5"
    protocol = "in-process (python3 sqlite3, SQLite %s)" % sqlite3.sqlite_version
    snippets = "snippet() (substr() when only 2-char terms, which MATCH cannot take)"

    def index_path(self):
        return os.path.join(self.dir, "fts.db")

    def build(self, docs):
        db = sqlite3.connect(self.index_path())
        db.execute("CREATE VIRTUAL TABLE docs USING fts5(sid UNINDEXED, title, content, "
                   "tokenize='trigram')")
        db.executemany("INSERT INTO docs(rowid, sid, title, content) VALUES (?,?,?,?)",
                       ((n, d["id"], d["title"], d["content"]) for n, d in enumerate(docs, 1)))
        db.commit()
        db.close()

    def client(self):
        return Fts5Client(self.index_path())


def like_pattern(term):
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class Fts5Client:
    def __init__(self, path):
        self.db = sqlite3.connect(path, check_same_thread=False)

    def ping(self):
        self.db.execute("SELECT 1").fetchall()

    def _where(self, terms):
        """MATCH for terms of 3+ characters (the trigram index); LIKE (a scan) for shorter."""
        longs = [t for t in terms if len(t) >= 3]
        shorts = [t for t in terms if len(t) < 3]
        where, args = [], []
        if longs:
            where.append("docs MATCH ?")
            args.append(" AND ".join('"%s"' % t.replace('"', '""') for t in longs))
        for t in shorts:
            where.append("(title LIKE ? ESCAPE '\\' OR content LIKE ? ESCAPE '\\')")
            args += [like_pattern(t)] * 2
        return " AND ".join(where), args, bool(longs)

    def search(self, terms):
        where, args, matched = self._where(terms)
        if matched:  # snippet() cannot share a query with a window function: count apart
            rows = self.db.execute("SELECT sid, snippet(docs, 2, '<b>', '</b>', '…', 16) FROM docs "
                                   "WHERE %s ORDER BY rank LIMIT 10" % where, args).fetchall()
        else:
            rows = self.db.execute("SELECT sid, substr(content, max(instr(content, ?) - 20, 1), 60) "
                                   "FROM docs WHERE %s LIMIT 10" % where,
                                   [terms[0]] + args).fetchall()
        total = self.db.execute("SELECT count(*) FROM docs WHERE " + where, args).fetchone()[0]
        return total, [r[0] for r in rows]

    def contains(self, terms, doc_id, num, title):
        where, args, _ = self._where(terms)
        return bool(self.db.execute("SELECT 1 FROM docs WHERE %s AND rowid = ?" % where,
                                    args + [num]).fetchall())


# --- PostgreSQL 15 with pg_trgm GIN ---------------------------------------------------------

PG_BIN = "/usr/lib/postgresql/15/bin"


class Postgres(Engine):
    name = "PostgreSQL"
    protocol = "PostgreSQL protocol (psycopg2)"
    snippets = "substr() around strpos() of the first term"

    def __init__(self, work):
        super().__init__(work)
        shutil.chown(self.dir, "postgres", "postgres")
        self.data = os.path.join(self.dir, "data")
        self.port = free_port()

    def _as_postgres(self, cmd, **kw):
        return subprocess.run(["runuser", "-u", "postgres", "--"] + cmd, check=True,
                              capture_output=True, **kw)

    def prepare(self, docs):
        self._as_postgres([PG_BIN + "/initdb", "-D", self.data, "--encoding=UTF8",
                           "--locale=C.UTF-8", "-A", "trust"])
        self.start()
        import psycopg2
        conn = psycopg2.connect(host=self.dir, port=self.port, user="postgres", dbname="postgres")
        conn.autocommit = True
        cur = conn.cursor()
        cur.execute("CREATE EXTENSION pg_trgm")
        cur.execute("CREATE TABLE docs (id int PRIMARY KEY, sid text, title text, content text)")
        self._build_conn = conn

    def build(self, docs):
        import io
        buf = io.StringIO()
        for num, d in enumerate(docs, 1):
            row = [str(num), d["id"], d["title"], d["content"]]
            buf.write("\t".join(v.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
                                .replace("\r", "\\r") for v in row) + "\n")
        buf.seek(0)
        cur = self._build_conn.cursor()
        cur.copy_expert("COPY docs FROM STDIN", buf)
        cur.execute("CREATE INDEX docs_trgm ON docs USING gin (title gin_trgm_ops, "
                    "content gin_trgm_ops)")
        cur.execute("VACUUM ANALYZE docs")
        self._build_conn.close()

    def size(self):
        import psycopg2
        conn = psycopg2.connect(host=self.dir, port=self.port, user="postgres", dbname="postgres")
        cur = conn.cursor()
        cur.execute("SELECT pg_total_relation_size('docs')")
        size = cur.fetchone()[0]
        conn.close()
        return size

    def start(self):
        if self.proc is None:
            self.proc = subprocess.Popen(pinned([
                "runuser", "-u", "postgres", "--", PG_BIN + "/postgres", "-D", self.data,
                "-c", "listen_addresses=127.0.0.1", "-c", "port=%d" % self.port,
                "-c", "unix_socket_directories=" + self.dir, "-c", "shared_buffers=512MB",
                "-c", "fsync=off", "-c", "max_parallel_workers_per_gather=0"]),
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            wait_for_port(self.port, self.proc)
            time.sleep(0.5)

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self._as_postgres([PG_BIN + "/pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop"])
            self.proc.wait(30)
        self.proc = None

    def client(self):
        return PostgresClient(self.port)


class PostgresClient:
    def __init__(self, port):
        import psycopg2
        self.conn = psycopg2.connect(host="127.0.0.1", port=port, user="postgres",
                                     dbname="postgres")
        self.conn.autocommit = True

    def ping(self):
        with self.conn.cursor() as cur:
            cur.execute("SELECT 1")
            cur.fetchall()

    @staticmethod
    def _where(terms):
        where = " AND ".join(["(title LIKE %s OR content LIKE %s)"] * len(terms))
        args = [p for t in terms for p in [like_pattern(t)] * 2]
        return where, args

    def search(self, terms):
        where, args = self._where(terms)
        with self.conn.cursor() as cur:
            cur.execute("SELECT sid, substr(content, greatest(strpos(content, %s) - 20, 1), 60), "
                        "count(*) OVER () FROM docs WHERE " + where + " LIMIT 10",
                        [terms[0]] + args)
            rows = cur.fetchall()
        return (rows[0][2] if rows else 0), [r[0] for r in rows]

    def contains(self, terms, doc_id, num, title):
        where, args = self._where(terms)
        with self.conn.cursor() as cur:
            cur.execute("SELECT 1 FROM docs WHERE id = %s AND " + where, [num] + args)
            return bool(cur.fetchall())


def unlimited(binary):
    """The flags that turn `binary serve`'s per-client rate limits off (a benchmark is one
    client asking faster than any person); none for a build from before they existed."""
    usage = subprocess.run([binary, "serve", "--help"], capture_output=True, text=True).stdout
    return ["--rate-limits", "off"] if "--rate-limits" in usage else []


# --- Wenku: /api/v1/search of `wenku serve` --------------------------------------------------

class Wenku(Engine):
    name = "Wenku"
    protocol = "HTTP /api/v1/search (wenku serve --workers 1 --threads 1)"
    snippets = "snippet (access::readable text: a guest's ~600-character preview, <mark>)"
    # Its search cache (2,000 results per process) would answer every timed pass from the
    # correctness pass: the server is restarted before each timed pass (see README.md).
    has_query_cache = True
    folds_traditional = True  # text::normalize_key: 美國 is found by 美国

    def __init__(self, work, binary, fresh=True):
        super().__init__(work, fresh)
        self.binary, self.path = binary, None
        self.cpus, self.workers = SERVER_CPU, 1
        self.data = os.path.join(self.dir, "data")

    def prepare(self, docs):
        with open(os.path.join(self.dir, "docs.jsonl"), "w", encoding="utf-8") as f:
            for d in docs:
                f.write(json.dumps(d, ensure_ascii=False) + "\n")

    def build(self, docs):
        # --raw: every engine indexes the very same texts (the import clean-up would move
        # datelines and captions of speeches out of the body, and counts and snippet
        # positions are checked against the corpus text).
        subprocess.run(pinned([self.binary, "import", "--raw", "--data", self.data,
                               os.path.join(self.dir, "docs.jsonl")]), check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def index_path(self):
        return os.path.join(self.data, "index")

    def start(self, cpus=None, workers=None):
        """`wenku serve --workers W --threads 1` pinned to `cpus` (default: as last time)."""
        self.cpus = cpus or self.cpus
        self.workers = workers or self.workers
        if self.proc is None:
            self.port = free_port()
            self.proc = subprocess.Popen(pinned([
                self.binary, "serve", "--data", self.data, "--listen", "127.0.0.1:%d" % self.port,
                "--workers", str(self.workers), "--threads", "1"] + unlimited(self.binary),
                self.cpus),
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            wait_for_port(self.port, self.proc)
            self.path = "/api/v1/search"

    def restart(self):
        """A fresh server process (empty query cache; the OS page cache stays warm)."""
        self.stop()
        self.start()

    def client(self):
        return WenkuClient(self.port, self.path)


MEMBER_NAME = "benchmember"


class WenkuMember(Wenku):
    """Wenku as a logged-in member: the same server, requests and queries as the guest row,
    plus the `wk_session` cookie of a member account on every request, so that hits are read
    whole and snippets come from the whole text (a guest's come from the ~600-character
    preview). With `library` (the guest row's data directory, built earlier in the run) it
    searches that library and builds nothing; otherwise it imports the documents itself."""
    name = "Wenku member"
    protocol = ("HTTP /api/v1/search (wenku serve --workers 1 --threads 1), "
                "cookie wk_session of a member")
    snippets = "snippet (access::readable text: the whole text for a member, <mark>)"

    def __init__(self, work, binary, library=None):
        super().__init__(work, binary)
        self.shared = library is not None
        if self.shared:
            self.data = library
        self.password = secrets.token_hex(12)
        self.cookie = None

    def prepare(self, docs):
        if not self.shared:
            super().prepare(docs)

    def build(self, docs):
        if not self.shared:
            super().build(docs)

    def add_member(self):
        """`wenku user add NAME --role member` (password: stdin's first line); untimed. An
        account left by an earlier login on this library gets the new password instead."""
        added = subprocess.run([self.binary, "user", "add", MEMBER_NAME, "--role", "member",
                                "--data", self.data], input=self.password + "\n", text=True,
                               capture_output=True)
        if added.returncode != 0:
            subprocess.run([self.binary, "user", "passwd", MEMBER_NAME, "--data", self.data],
                           input=self.password + "\n", text=True, check=True,
                           capture_output=True)

    def start(self, cpus=None, workers=None):
        super().start(cpus, workers)
        if self.cookie is None:  # the session lives in the store: it outlasts restarts
            self.add_member()
            self.cookie = login(self.port, MEMBER_NAME, self.password)

    def client(self):
        return WenkuClient(self.port, self.path, self.cookie)


def login(port, name, password):
    """Logs `name` in as a browser does: GET /login (a wk_form cookie and the form's
    csrf_token), POST /login with username, password and csrf_token; returns the Cookie
    header value "wk_session=…". Checks that /me then answers as for a member (200)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", "/login")
    resp = conn.getresponse()
    page = resp.read().decode("utf-8", "replace")
    form_cookie = _set_cookie(resp, "wk_form")
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page)
    if resp.status != 200 or not form_cookie or not token:
        raise RuntimeError("GET /login: HTTP %d, no form cookie or csrf_token" % resp.status)
    body = urllib.parse.urlencode({"username": name, "password": password,
                                   "csrf_token": token.group(1)})
    conn.request("POST", "/login", body, {"Content-Type": "application/x-www-form-urlencoded",
                                          "Cookie": "wk_form=" + form_cookie})
    resp = conn.getresponse()
    resp.read()
    session = _set_cookie(resp, "wk_session")
    if resp.status not in (302, 303) or not session:
        raise RuntimeError("POST /login: HTTP %d without a wk_session cookie" % resp.status)
    cookie = "wk_session=" + session
    conn.request("GET", "/me", headers={"Cookie": cookie})
    resp = conn.getresponse()
    resp.read()
    if resp.status != 200:
        raise RuntimeError("GET /me with the session cookie: HTTP %d" % resp.status)
    conn.close()
    return cookie


def _set_cookie(resp, name):
    """The value `resp` sets for cookie `name`, or None."""
    for header, value in resp.getheaders():
        if header.lower() == "set-cookie" and value.startswith(name + "="):
            return value[len(name) + 1:].split(";", 1)[0] or None
    return None


def wenku_query(terms):
    return " ".join('"%s"' % t for t in terms)


class WenkuClient:
    """Over /api/v1/search (JSON); with `cookie` (a member's "wk_session=…") sent on every
    request, nothing else changed."""

    def __init__(self, port, path, cookie=None):
        self.http = HttpJson(port, {"Cookie": cookie} if cookie else None)
        self.path = path
        self.last_hits = []  # the hits of the last search(): id, snippet …

    def ping(self):
        self.http.conn.request("GET", "/healthz", headers=self.http.headers)
        self.http.conn.getresponse().read()

    def _page(self, terms, limit, page):
        """Total and ids of result page `page` (from 1) of `limit` hits. When no document
        holds every term, Wenku relaxes the query to any of them and says so ("relaxed"):
        the answer to the query as asked is then no document."""
        res = self.http.get(self.path, {"q": wenku_query(terms), "limit": limit, "page": page})
        if res.get("relaxed"):
            self.last_hits = []
            return 0, []
        self.last_hits = res["hits"]
        return res["total"], [h["id"] for h in res["hits"]]

    def search(self, terms):
        total, ids = self._page(terms, LIMIT, 1)
        return total, ids[:LIMIT]

    def contains(self, terms, doc_id, num, title):
        """Wenku has no id filter: the source's title (its longest part without spaces or
        quotes) is added as one more phrase, which keeps the source document if it matches
        and few others, and the result pages are scanned for the id."""
        part = max(re.split(r'[\s"“”]+', title), key=len)
        terms = terms + [part] if len(part) >= 2 else terms
        limit = 100  # the API's largest page
        page, seen = 1, 0
        while True:
            total, ids = self._page(terms, limit, page)
            if doc_id in ids:
                return True
            seen += len(ids)
            if not ids or seen >= total:
                return False
            page += 1
