"""Render the nginx site for Rights Archive, and run nginx in front of gunicorn on this machine.

    # the site file for Debian's nginx (see the README, "Production")
    python deploy/serve.py site --listen 80 --server-name rights.example.org \\
        --upstream unix:/run/rights-archive/gunicorn.sock \\
        --static-root /srv/rights-archive/staticfiles > /etc/nginx/sites-available/rights-archive

    # gunicorn (deploy/gunicorn.conf.py) on a Unix socket and nginx on 127.0.0.1:8080 in
    # front of it, both in the foreground until Ctrl-C (`make serve-nginx`)
    python deploy/serve.py local --listen 127.0.0.1:8080 --static-root staticfiles

Only the standard library: tests/test_serving.py and bench/load.py import it.
"""

import argparse
import math
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

DEPLOY = Path(__file__).resolve().parent
ROOT = DEPLOY.parent
TEMPLATE = DEPLOY / "nginx-site.conf.template"
GUNICORN_CONF = DEPLOY / "gunicorn.conf.py"
MIME_TYPES = Path("/etc/nginx/mime.types")

MIB = 1024 * 1024
# Room for the rest of the upload form (CSRF token, country, year, language, multipart
# boundaries) around a report of exactly REPORT_UPLOAD_MAX_BYTES: the margin Django's own
# check allows too (reportsite/middleware.py, UPLOAD_MARGIN), so both refuse the same bodies.
UPLOAD_FORM_MARGIN = MIB
# Bursts are nginx's to stop; the app's per-client limits (SEARCH_PAGE_RATE_LIMIT 120/m,
# SEARCH_API_RATE_LIMIT 60/m) are the quota a steady client meets first.
DEFAULT_RATES = {"search": "2r/s", "api": "2r/s", "login": "6r/m"}
# For load tests from one address: the limits stay in place but are never reached.
RELAXED_RATES = {"search": "100000r/s", "api": "100000r/s", "login": "100000r/s"}


def nginx_binary() -> str | None:
    """$NGINX, or Debian's nginx also when /usr/sbin is not on a normal user's PATH."""
    if os.environ.get("NGINX"):
        return shutil.which(os.environ["NGINX"])
    path = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])
    return shutil.which("nginx", path=path)


def upload_body_max(upload_max_bytes: int) -> str:
    """client_max_body_size for the upload page: in MiB when whole, else in KiB rounded up."""
    size = upload_max_bytes + UPLOAD_FORM_MARGIN
    return f"{size // MIB}m" if size % MIB == 0 else f"{math.ceil(size / 1024)}k"


def retry_after(rate: str) -> int:
    """Seconds until a refused client may try again: one request's interval at `rate`."""
    match = re.fullmatch(r"(\d+)r/([sm])", rate)
    if not match:
        raise ValueError(f"rate {rate!r}: expected nginx's form, e.g. 1r/s or 6r/m")
    per_second = int(match[1]) / (60 if match[2] == "m" else 1)
    return max(1, math.ceil(1 / per_second))


def render_site(
    *,
    listen: str,
    upstream: str,
    static_root: str | Path,
    server_name: str = "_",
    rates: dict[str, str] | None = None,
    body_max: str = "2m",
    upload_max_bytes: int | None = None,
) -> str:
    """The site file: deploy/nginx-site.conf.template with its placeholders filled in."""
    rates = {**DEFAULT_RATES, **(rates or {})}
    if upload_max_bytes is None:
        upload_max_bytes = int(os.environ.get("REPORT_UPLOAD_MAX_BYTES") or 20 * MIB)
    values = {
        "LISTEN": listen,
        "SERVER_NAME": server_name,
        "UPSTREAM": upstream,
        "STATIC_ROOT": str(Path(static_root).resolve()).rstrip("/"),
        "BODY_MAX": body_max,
        "UPLOAD_BODY_MAX": upload_body_max(upload_max_bytes),
    }
    for zone in ("search", "api", "login"):
        values[f"{zone.upper()}_RATE"] = rates[zone]
        values[f"{zone.upper()}_RETRY"] = str(retry_after(rates[zone]))
    for name, value in values.items():
        forbidden = r"[;{}]" if name == "SERVER_NAME" else r"[\s;{}]"
        if not value or re.search(forbidden, value):
            raise ValueError(f"{name}={value!r} cannot go into the nginx configuration")
    text = TEMPLATE.read_text()
    unknown = set(re.findall(r"@([A-Z_]+)@", text)) - set(values)
    if unknown:
        raise ValueError(f"{TEMPLATE.name}: no value for {', '.join(sorted(unknown))}")
    return re.sub(r"@([A-Z_]+)@", lambda m: values[m[1]], text)


def _worker_connections() -> int:
    """4096 connections per nginx worker, or what this user's open-file limit allows."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    return 4096 if soft == resource.RLIM_INFINITY else max(256, min(4096, soft - 32))


def render_standalone(prefix: Path, site_file: Path) -> str:
    """A whole nginx.conf around the site for a run without Debian's /etc/nginx/nginx.conf:
    every file (pid, logs, temporary bodies) under `prefix`."""
    lines = [
        "# Written by deploy/serve.py for a local run; a real server uses Debian's nginx.conf.",
        "worker_processes auto;",
        f"pid {prefix}/nginx.pid;",
        f"error_log {prefix}/error.log warn;",
        f"events {{ worker_connections {_worker_connections()}; }}",
        "http {",
        f"    include {MIME_TYPES};",
        "    default_type application/octet-stream;",
        "    sendfile on;",
        "    tcp_nopush on;",
        f"    access_log {prefix}/access.log;",
        f"    client_body_temp_path {prefix}/client_body;",
        f"    proxy_temp_path {prefix}/proxy;",
        f"    fastcgi_temp_path {prefix}/fastcgi;",
        f"    uwsgi_temp_path {prefix}/uwsgi;",
        f"    scgi_temp_path {prefix}/scgi;",
        f"    include {site_file};",
        "}",
    ]
    if os.geteuid() == 0:
        # nginx started as root runs its workers as `nobody`, who cannot read a private
        # temporary folder (the tests', for one): keep them as root for this local run only.
        # Debian's packaged nginx runs them as www-data, who must be able to read
        # STATIC_ROOT and write gunicorn's socket.
        lines.insert(1, "user root;")
    return "\n".join(lines) + "\n"


def write_nginx_conf(prefix: Path, **site) -> Path:
    """Write the site and the standalone nginx.conf into `prefix`; return the nginx.conf."""
    prefix = Path(prefix).resolve()
    prefix.mkdir(parents=True, exist_ok=True)
    site_file = prefix / "rights-archive.conf"
    site_file.write_text(render_site(**site))
    conf = prefix / "nginx.conf"
    conf.write_text(render_standalone(prefix, site_file))
    return conf


def nginx_command(prefix: Path, conf: Path, *extra: str) -> list[str]:
    nginx = nginx_binary()
    if nginx is None:
        raise FileNotFoundError("nginx is not installed (apt-get install nginx)")
    return [nginx, "-p", str(prefix), "-c", str(conf), "-e", str(prefix / "error.log"), *extra]


def start_nginx(prefix: Path, **site) -> subprocess.Popen:
    """Check the rendered configuration with `nginx -t`, then start nginx in the foreground
    (its own process group, so it can be stopped with the caller)."""
    prefix = Path(prefix).resolve()
    conf = write_nginx_conf(prefix, **site)
    check = subprocess.run(nginx_command(prefix, conf, "-t", "-q"), capture_output=True, text=True)
    if check.returncode:
        raise RuntimeError(f"nginx -t refused {conf}:\n{check.stderr}")
    return subprocess.Popen(nginx_command(prefix, conf, "-g", "daemon off;"))


def start_gunicorn(
    env: dict[str, str], binds: list[str], *extra: str, stdout=None
) -> subprocess.Popen:
    """gunicorn with deploy/gunicorn.conf.py, serving the project from ROOT."""
    command = [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF)]
    for bind in binds:
        command += ["--bind", bind]
    return subprocess.Popen([*command, *extra], cwd=ROOT, env=env, stdout=stdout)


def wait_for_http(url: str, processes: list[subprocess.Popen], timeout: float = 60) -> None:
    """Wait until `url` answers 200, failing early when one of `processes` has exited."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (OSError, urllib.error.HTTPError):
            pass
        for process in processes:
            if process.poll() is not None:
                raise RuntimeError(f"{process.args[0]} exited with status {process.returncode}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")
        time.sleep(0.2)


def stop(*processes: subprocess.Popen) -> None:
    for process in processes:
        if process.poll() is None:
            # nginx: SIGQUIT is its graceful stop; gunicorn: SIGTERM.
            is_nginx = Path(process.args[0]).name == "nginx"
            process.send_signal(signal.SIGQUIT if is_nginx else signal.SIGTERM)
    for process in processes:
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def local(args) -> None:
    """gunicorn on a Unix socket and nginx in front, until interrupted."""
    if nginx_binary() is None:
        sys.exit("error: nginx is not installed (apt-get install nginx)")
    with tempfile.TemporaryDirectory(prefix="rights-archive-nginx-") as tmp:
        prefix = Path(tmp)
        sock = prefix / "gunicorn.sock"
        gunicorn = start_gunicorn(dict(os.environ), [f"unix:{sock}"])
        while not sock.exists():
            if gunicorn.poll() is not None:
                sys.exit(f"error: gunicorn exited with status {gunicorn.returncode}")
            time.sleep(0.1)
        nginx = start_nginx(
            prefix,
            listen=args.listen,
            upstream=f"unix:{sock}",
            static_root=args.static_root,
            rates=RELAXED_RATES if args.relaxed_rate_limits else None,
        )
        host = args.listen if ":" in args.listen else f"127.0.0.1:{args.listen}"
        try:
            wait_for_http(f"http://{host}/healthz", [gunicorn, nginx])
            print(f"Rights Archive behind nginx at http://{host}/ (Ctrl-C stops both)", flush=True)
            while gunicorn.poll() is None and nginx.poll() is None:
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            stop(nginx, gunicorn)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    site = commands.add_parser("site", help="print the nginx site file")
    site.add_argument("--listen", default="80")
    site.add_argument("--server-name", default="_")
    site.add_argument("--upstream", default="unix:/run/rights-archive/gunicorn.sock")
    site.add_argument("--static-root", default=str(ROOT / "staticfiles"))
    for zone, rate in DEFAULT_RATES.items():
        site.add_argument(f"--{zone}-rate", default=rate, help=f"default {rate}")
    run = commands.add_parser("local", help="gunicorn and nginx in front, in the foreground")
    run.add_argument("--listen", default="127.0.0.1:8080")
    run.add_argument("--static-root", default=os.environ.get("STATIC_ROOT", "staticfiles"))
    run.add_argument(
        "--relaxed-rate-limits", action="store_true", help="for load tests from one address"
    )
    args = parser.parse_args(argv)
    if args.command == "site":
        rates = {zone: getattr(args, f"{zone}_rate") for zone in DEFAULT_RATES}
        sys.stdout.write(
            render_site(
                listen=args.listen,
                upstream=args.upstream,
                static_root=args.static_root,
                server_name=args.server_name,
                rates=rates,
            )
        )
    else:
        local(args)


if __name__ == "__main__":
    main()
