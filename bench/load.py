"""Load through nginx in front of gunicorn, as deployed (deploy/), on this machine.

    .venv/bin/python bench/load.py                          # 16 and 64 clients, 20 s each
    .venv/bin/python bench/load.py --clients 16 64 --duration 30
    .venv/bin/python bench/load.py --workers 3 --threads 8  # another gunicorn shape
    .venv/bin/python bench/load.py --slow-clients           # /healthz under slow clients
    .venv/bin/python bench/load.py --archive 1500000         # searches at archive scale

Needs Debian's nginx and wrk (apt-get install nginx wrk). Uses its own database,
TEST_DATABASE_NAME or "bench_load", holding the test archive of tests/archive.py (created
once, then reused); collects the static files into a temporary folder and starts gunicorn
with deploy/gunicorn.conf.py (production settings) on a Unix socket and a loopback port, and
nginx with deploy/nginx-site.conf.template in front.

The rate limits would answer most of a load test from one address with 429: the load runs
against the same nginx configuration with the rates relaxed (serve.RELAXED_RATES, never
reached) and with the app's per-client limits off (SEARCH_API_RATE_LIMIT and
SEARCH_PAGE_RATE_LIMIT); a 429 would still be counted under "statuses".

Load: wrk (bench/load.lua) cycles through a mix of GETs: 10 % home page, 40 % section pages
(every section of the three reports), 20 % search pages, 30 % API searches (a dozen
queries in Kazakh, English and Latin script), with Accept-Encoding: gzip. Each row is one
run of --duration seconds after a warm-up; "errors" are socket errors and answers other
than 2xx/3xx. The same load is also run against gunicorn alone.

--archive SIZE runs the search load of issue 12 instead: API searches of every query class of
bench/search.py (rare, mid, common and very common words, two words, phrases, OR, negation,
filters; the classes in turn) against the synthetic archive "ra_bench_search_SIZE" that
bench/search.py built, through gunicorn alone, with 32 clients by default: once with the
counts cache (as in production) and once without it (SEARCH_COUNTS_CACHE_SECONDS=0), so that
every request counts and ranks from scratch.

--slow-clients times /healthz while slow clients (one header byte a second) are connected:
against gunicorn with 3 sync workers (before issue 11), gunicorn with deploy/gunicorn.conf.py
alone, and nginx in front of it; with 3 slow clients and with more than gunicorn's threads.
"""

import argparse
import json
import os
import random
import runpy
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reportsite.settings")
os.environ.setdefault("TEST_DATABASE_NAME", "bench_load")

from deploy import serve  # noqa: E402

DEFAULT_CLIENTS = [16, 64]
QUERIES = [
    "азаптау",
    "сөз бостандығы",
    '"саяси тұтқындар"',
    "журналистер",
    "касиподак",
    "saiasi tutqyndar",
    "torture",
    "journalists arrested",
    "freedom of the press",
    "сайлау OR референдум",
    "азаптуа",
    "адам құқығы",
]


def use_archive_database() -> str:
    """The kept benchmark database (created and loaded the first time); its DATABASE_URL."""
    import django

    django.setup()
    from django.db import connection

    from sections.models import Report
    from tests.conftest import _database_url

    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=True, serialize=False)
    if Report.objects.filter(country="KZ").count() != 3:
        from tests.archive import load_archive

        load_archive()
    url = _database_url(connection.settings_dict)
    connection.close()
    return url


def mixed_paths() -> list[str]:
    from sections.models import Report

    sections = [
        f"{report.get_absolute_url()}{section.code}/"
        for report in Report.objects.published().order_by("year", "language")
        for section in report.section_tree()
    ]
    searches = [f"/search/?q={quote(q)}" for q in QUERIES]
    api = [f"/api/search?q={quote(q)}" for q in QUERIES]
    # Ten requests in each round, in the proportions of the docstring.
    paths = []
    for i in range(len(sections)):
        paths += ["/"]
        paths += [sections[(4 * i + k) % len(sections)] for k in range(4)]
        paths += [searches[(2 * i + k) % len(searches)] for k in range(2)]
        paths += [api[(3 * i + k) % len(api)] for k in range(3)]
    return paths


def production_env(database_url: str, static_root: Path, **extra) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-0123456789abcdef-0123456789abcdef",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(static_root),
        "LOG_LEVEL": "ERROR",
        # As in production behind nginx: the client's address for the app's rate limits.
        "CLIENT_IP_HEADER": "X-Real-IP",
        "GUNICORN_LOG_LEVEL": "warning",
        **extra,
    }


class Servers:
    """gunicorn (deploy/gunicorn.conf.py) on a socket and a port, nginx in front."""

    def __init__(self, tmp: Path, env: dict, rates=None, gunicorn_args=()):
        self.tmp, self.env, self.rates, self.gunicorn_args = tmp, env, rates, gunicorn_args

    def __enter__(self):
        sock = self.tmp / "gunicorn.sock"
        sock.unlink(missing_ok=True)
        self.gunicorn_port = serve.free_port()
        self.nginx_port = serve.free_port()
        self.gunicorn = serve.start_gunicorn(
            self.env, [f"unix:{sock}", f"127.0.0.1:{self.gunicorn_port}"], *self.gunicorn_args
        )
        self.nginx = None
        try:
            serve.wait_for_http(f"http://127.0.0.1:{self.gunicorn_port}/healthz", [self.gunicorn])
            self.nginx = serve.start_nginx(
                self.tmp / "nginx",
                listen=f"127.0.0.1:{self.nginx_port}",
                upstream=f"unix:{sock}",
                static_root=self.env["STATIC_ROOT"],
                rates=self.rates,
            )
            serve.wait_for_http(f"http://127.0.0.1:{self.nginx_port}/healthz", [self.nginx])
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc):
        serve.stop(*[p for p in (self.nginx, self.gunicorn) if p is not None])


def wrk(base: str, clients: int, seconds: int, paths_file: Path) -> dict:
    command = [
        "wrk",
        f"-t{min(2, clients)}",
        f"-c{clients}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(ROOT / "bench" / "load.lua"),
        base,
        "--",
        str(paths_file),
    ]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def load(args) -> None:
    if not serve.nginx_binary() or not subprocess.run(["which", "wrk"], capture_output=True).stdout:
        sys.exit("error: needs nginx and wrk: apt-get install nginx wrk")
    database_url = use_archive_database()
    paths = mixed_paths()
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        tmp = Path(tmp)
        paths_file = tmp / "paths.txt"
        paths_file.write_text("\n".join(paths) + "\n")
        extra = {}
        if args.workers:
            extra["GUNICORN_WORKERS"] = str(args.workers)
        if args.threads:
            extra["GUNICORN_THREADS"] = str(args.threads)
        # One client address: the app's per-client limits are turned off too.
        extra |= {"SEARCH_API_RATE_LIMIT": "off", "SEARCH_PAGE_RATE_LIMIT": "off"}
        env = production_env(database_url, tmp / "static", **extra)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        with Servers(tmp, env, rates=serve.RELAXED_RATES) as servers:
            workers, threads = gunicorn_shape(env)
            print(
                f"{len(paths)} paths; gunicorn: {workers} gthread workers × {threads} threads; "
                f"{os.cpu_count()} cores; {args.duration} s a row\n"
            )
            print(
                "| through | clients | requests/s | p50 ms | p95 ms | p99 ms | errors | statuses |"
            )
            print("|---|---|---|---|---|---|---|---|")
            targets = [("nginx → gunicorn", servers.nginx_port)]
            if not args.nginx_only:
                targets.append(("gunicorn alone", servers.gunicorn_port))
            for name, port in targets:
                base = f"http://127.0.0.1:{port}"
                wrk(base, 8, 3, paths_file)  # warm-up: connections, caches
                for clients in args.clients:
                    print_row(name, clients, wrk(base, clients, args.duration, paths_file))


def archive_load(args) -> None:
    """The search load against a synthetic archive of bench/search.py (see the docstring)."""
    import django

    if not subprocess.run(["which", "wrk"], capture_output=True).stdout:
        sys.exit("error: needs wrk: apt-get install wrk")
    django.setup()
    from django.db import connection

    from bench.search import open_built, pick_queries
    from tests.conftest import _database_url

    paragraphs = open_built(args.archive)
    queries, _, _ = pick_queries(paragraphs, random.Random(args.archive))
    database_url = _database_url(connection.settings_dict)
    connection.close()
    # The classes in turn, so every stretch of the load mixes them.
    rounds = max(len(v) for v in queries.values())
    paths = [
        f"/api/search?{urlencode(params_list[i % len(params_list)])}"
        for i in range(rounds)
        for params_list in queries.values()
    ]
    clients = args.clients if args.clients != DEFAULT_CLIENTS else [32]
    with tempfile.TemporaryDirectory(prefix="bench-archive-") as tmp:
        tmp = Path(tmp)
        paths_file = tmp / "paths.txt"
        paths_file.write_text("\n".join(paths) + "\n")
        (tmp / "static").mkdir()  # the API serves no static files
        print(f"{paragraphs} paragraphs; {len(paths)} searches in turn; {args.duration} s a row\n")
        print(
            "| counts cache | clients | requests/s | p50 ms | p95 ms | p99 ms | errors | statuses |"
        )
        print("|---|---|---|---|---|---|---|---|")
        for cached in (True, False):
            extra = {"SEARCH_API_RATE_LIMIT": "off", "SEARCH_PAGE_RATE_LIMIT": "off"}
            if not cached:
                extra["SEARCH_COUNTS_CACHE_SECONDS"] = "0"
            if args.workers:
                extra["GUNICORN_WORKERS"] = str(args.workers)
            if args.threads:
                extra["GUNICORN_THREADS"] = str(args.threads)
            env = production_env(database_url, tmp / "static", **extra)
            port = serve.free_port()
            gunicorn = serve.start_gunicorn(env, [f"127.0.0.1:{port}"])
            try:
                base = f"http://127.0.0.1:{port}"
                serve.wait_for_http(f"{base}/healthz", [gunicorn])
                wrk(base, 8, 5, paths_file)  # warm-up: connections, caches
                for n in clients:
                    r = wrk(base, n, args.duration, paths_file)
                    print_row("on" if cached else "off", n, r)
            finally:
                serve.stop(gunicorn)


def print_row(name: str, clients: int, r: dict) -> None:
    errors = r["connect"] + r["read"] + r["write"] + r["timeout"] + r["status"]
    statuses = ", ".join(f"{k}: {v}" for k, v in sorted(r["statuses"].items()))
    print(
        f"| {name} | {clients} | {r['requests'] / (r['duration_us'] / 1e6):.0f} "
        f"| {r['p50_us'] / 1000:.0f} | {r['p95_us'] / 1000:.0f} "
        f"| {r['p99_us'] / 1000:.0f} | {errors} | {statuses} |",
        flush=True,
    )


def gunicorn_shape(env: dict) -> tuple[int, int]:
    """(workers, threads) that deploy/gunicorn.conf.py chooses with this environment."""
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        conf = runpy.run_path(str(serve.GUNICORN_CONF))
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return conf["workers"], conf["threads"]


# gunicorn as it ran before issue 11: three sync workers, no configuration file.
SYNC_GUNICORN = [
    sys.executable,
    "-m",
    "gunicorn",
    "reportsite.wsgi",
    "--workers",
    "3",
    "--no-control-socket",
]


def slow_clients(args) -> None:
    from tests.test_serving import SlowClients, timed_healthz

    if not serve.nginx_binary():
        sys.exit("error: needs nginx: apt-get install nginx")
    database_url = use_archive_database()
    # As in issue 11: a short header (about 30 s at a byte a second), sent whole in the end.
    request = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    with tempfile.TemporaryDirectory(prefix="bench-slow-") as tmp:
        tmp = Path(tmp)
        env = production_env(database_url, tmp / "static")
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        print(f"/healthz with slow clients connected (each sends a {len(request)}-byte header,")
        print("one byte a second); the time of one /healthz, started 3 s into the trickle\n")
        print("| server | slow clients | /healthz |")
        print("|---|---|---|")

        def row(name, address, base, count):
            with SlowClients(address, count, request):
                status, seconds = timed_healthz(base)
            print(f"| {name} | {count} | {status} in {seconds:.2f} s |", flush=True)

        port = serve.free_port()
        sync = subprocess.Popen(
            [*SYNC_GUNICORN, "--bind", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
        )
        try:
            serve.wait_for_http(f"http://127.0.0.1:{port}/healthz", [sync])
            row(
                "gunicorn, 3 sync workers (before)",
                ("127.0.0.1", port),
                f"http://127.0.0.1:{port}",
                3,
            )
        finally:
            serve.stop(sync)
        with Servers(tmp, env) as servers:
            workers, threads = gunicorn_shape(env)
            gunicorn = ("127.0.0.1", servers.gunicorn_port)
            nginx = ("127.0.0.1", servers.nginx_port)
            name = f"gunicorn alone, deploy/gunicorn.conf.py ({workers} × {threads} threads)"
            for count in (3, workers * threads, 3 * workers * threads):
                row(name, gunicorn, f"http://127.0.0.1:{servers.gunicorn_port}", count)
            for count in (3, 3 * workers * threads, 1000):
                row("nginx → gunicorn", nginx, f"http://127.0.0.1:{servers.nginx_port}", count)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, nargs="+", default=DEFAULT_CLIENTS)
    parser.add_argument("--duration", type=int, default=20, help="seconds per row")
    parser.add_argument("--workers", type=int, help="GUNICORN_WORKERS (default: the conf's)")
    parser.add_argument("--threads", type=int, help="GUNICORN_THREADS (default: the conf's)")
    parser.add_argument("--nginx-only", action="store_true", help="skip gunicorn alone")
    parser.add_argument("--slow-clients", action="store_true")
    parser.add_argument("--archive", type=int, metavar="SIZE", help="search load at this size")
    args = parser.parse_args()
    if args.archive:
        archive_load(args)
    elif args.slow_clients:
        slow_clients(args)
    else:
        load(args)


if __name__ == "__main__":
    main()
