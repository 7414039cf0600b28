"""Gunicorn settings for Rights Archive: `gunicorn -c deploy/gunicorn.conf.py reportsite.wsgi`.

Every value can be overridden on the command line (`--bind`, `--workers`…) or through the
GUNICORN_* variables read below. The README ("Serving: nginx in front of gunicorn") explains
the choices and bench/README.md has the measurements; in short:

- worker class `gthread`: each worker process runs a pool of threads. A request that waits
  (on PostgreSQL, on a slow client) holds one thread, not the whole process, so three slow
  clients no longer stall the site as they did with three `sync` workers. Behind nginx,
  gunicorn only ever sees complete, buffered requests and nginx takes each response at
  once, so the threads only do real work. Without a proxy every trickling client holds a
  thread: it takes more than workers × threads of them instead of 3 to make the site wait,
  so `make serve-production` runs 8 threads a worker (24 on two cores). gthread raises the
  bar; only an event-driven proxy in front removes it.
- workers = cores + 1, threads = 3: the Python work of a request (query parsing, ranking,
  snippets, templates) holds the GIL, so processes give the parallelism, one a core and one
  more for when one stalls; the threads cover the database waits. More threads serve no
  more requests (the CPU is the limit) but take turns at the GIL, so every request of a busy
  worker gets slower: at 1.5M paragraphs with 32 clients (bench/load.py --archive) 3 × 3
  threads served 54 searches/s with p99 0.89 s, 3 × 8 the same 53/s with p99 1.31 s; the
  page mix through nginx at 64 clients, p95 0.50 s against 1.17 s. 2 × cores + 1 is the
  rule for `sync` workers, whose processes must also cover the waits.
- worker_connections = 4 × threads: a worker holding that many connections stops accepting
  and leaves new ones to the others. With gunicorn's default (1000) one worker can take most
  connections of a burst and queue them behind its own threads while another idles: p95 at
  64 clients through nginx 2.3 s with five workers, 1.2 s with the limit (three workers:
  1.4 s, 1.2 s). Alone, gunicorn holds workers × 4 × threads connections at once (36 on two
  cores, 96 with serve-production's 8 threads); more wait in the listen backlog until a
  kept-alive one has been idle for 5 s.
- Each thread keeps its own database connection (CONN_MAX_AGE), so workers × threads is
  also the number of PostgreSQL connections: the default keeps it at or under 64.
"""

import os


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise SystemExit(f"error: {name}={value!r} is not a whole number") from None


cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()

wsgi_app = "reportsite.wsgi"
# Behind nginx: a Unix socket (unix:/run/rights-archive/gunicorn.sock); alone: an address.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")

worker_class = "gthread"
threads = _env_int("GUNICORN_THREADS", 3)
workers = _env_int(
    "GUNICORN_WORKERS",
    _env_int("WEB_CONCURRENCY", max(1, min((cores or 1) + 1, 64 // threads))),
)
# Connections a worker holds at once (running, queued for a thread, or idle in keep-alive);
# past it the worker stops accepting and leaves new connections to the others.
worker_connections = _env_int("GUNICORN_WORKER_CONNECTIONS", 4 * threads)

# With gthread, `timeout` is the worker's heartbeat (the main thread keeps beating while a
# request runs), not a limit on one request: nginx's proxy_read_timeout bounds what a
# client waits, SEARCH_STATEMENT_TIMEOUT_MS bounds a search's database time.
timeout = 30
graceful_timeout = 30
# Idle keep-alive connections (nginx's upstream pool closes its own after 4 s, first).
keepalive = 5

# Restart each worker after about 2,000 requests, staggered by the jitter so the workers
# never restart together; bounds any slow memory growth.
max_requests = 2000
max_requests_jitter = 200

# Request limits (gunicorn answers 400 past them). nginx has its own, at least as tight.
limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190

# Trust only the scheme header nginx sets itself (it overwrites any X-Forwarded-Proto a
# client sends), and only from loopback and Unix-socket peers (FORWARDED_ALLOW_IPS changes
# that). Django still needs BEHIND_TLS_PROXY=1 to read it.
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}

# The heartbeat file on tmpfs, where fchmod never blocks on a disk.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

# No runtime control socket: two instances on one machine (a test run beside a server)
# would otherwise compete for the same ~/.gunicorn/gunicorn.ctl.
control_socket_disable = True

accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None  # nginx keeps the access log
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "rights-archive"
