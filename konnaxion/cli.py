"""The `konnaxion` command: run the whole platform, or one of its processes."""

from __future__ import annotations

import argparse
import copy
import json
import os
import signal
import sys
import time

DEFAULT_SETTINGS = "config.settings.base"
CHECK_TIMEOUT_SECONDS = 90


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    import django

    django.setup()


def cmd_up(args: argparse.Namespace) -> int:
    """Migrate, start server + worker + beat, print the URL; stop everything on Ctrl-C/SIGTERM."""
    # Imported by the subcommands that use it, so `konnaxion --help` and `manage` load less.
    from konnaxion.runtime.supervisor import (
        Supervisor,
        port_is_free,
        python_command,
        wait_until_healthy,
    )

    if not port_is_free(args.host, args.port):
        print(f"konnaxion: port {args.port} on {args.host} is in use; choose one with --port.")
        return 2
    _setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", interactive=False, verbosity=0)
    if args.demo:
        call_command("seed_demo")
    connections.close_all()
    # The supervisor queries nothing more: its pool's idle connections go back to PostgreSQL.
    for connection in connections.all(initialized_only=True):
        if hasattr(connection, "close_pool"):
            connection.close_pool()

    supervisor = Supervisor(
        {
            "server": python_command("serve", "--host", args.host, "--port", str(args.port)),
            "worker": python_command("worker"),
            "beat": python_command("beat"),
        }
    )

    def on_signal(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    supervisor.start()
    shown_host = f"[{args.host}]" if ":" in args.host else args.host
    url = f"http://{shown_host}:{args.port}/"
    try:
        if args.check:
            healthy, body = wait_until_healthy(f"{url}healthz", CHECK_TIMEOUT_SECONDS, supervisor)
            print(json.dumps(body.get("checks", {}), indent=2))
            print("healthy" if healthy else "unhealthy")
            return 0 if healthy else 1
        print(f"Konnaxion is running at {url}  (data in {settings.DATA_DIR}; Ctrl-C stops it)")
        print(f"  API docs: {url}api/docs/   admin: {url}admin/   health: {url}healthz")
        sys.stdout.flush()
        while True:
            dead = supervisor.dead_child()
            if dead:
                print(f"konnaxion: the {dead} process stopped; stopping the others.")
                return 1
            time.sleep(0.5)
    except KeyboardInterrupt:
        return 0
    finally:
        supervisor.stop()


def cmd_serve(args: argparse.Namespace) -> int:
    """The ASGI server alone (HTTP and WebSockets)."""
    # Settings are loaded first, so that a deployment lacking a value stops here with the
    # message, not in each of uvicorn's processes.
    _setup_django()
    # Imported by this subcommand only, like the supervisor in cmd_up.
    import uvicorn

    from konnaxion.runtime.supervisor import proxy_header_options, tls_options

    uvicorn.run(
        "config.asgi:application",
        host=args.host,
        port=args.port,
        workers=args.workers,
        lifespan="off",
        **proxy_header_options(os.environ),
        **tls_options(os.environ),
        log_level=os.environ.get("UVICORN_LOG_LEVEL", "info"),
        log_config=uvicorn_log_config(),
    )
    return 0


def uvicorn_log_config() -> dict:
    """uvicorn's own logging, with share and upload links' tokens taken out of its access log
    and error log (konnaxion/core/log_redaction.py)."""
    # Imported by the serve subcommand only, like uvicorn itself.
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["link_tokens"] = {
        "()": "konnaxion.core.log_redaction.LinkTokenFilter"
    }
    for handler in config["handlers"].values():
        handler["filters"] = [*handler.get("filters", []), "link_tokens"]
    return config


def worker_argv(args: argparse.Namespace, *, pid: int) -> list[str]:
    """The Celery worker's arguments. Its node name is unique per process by default (two
    workers on one host must differ: Celery's remote control and heartbeats key on it)."""
    name = args.name or os.environ.get("KONNAXION_WORKER_NAME", "") or f"konnaxion-{pid}@%h"
    argv = ["worker", "--loglevel", args.loglevel, "--hostname", name]
    if args.concurrency:  # else CELERY_WORKER_CONCURRENCY
        argv += ["--concurrency", str(args.concurrency)]
    return argv


def cmd_worker(args: argparse.Namespace) -> int:
    """A Celery worker."""
    # Celery closes a prefork child's connection pool after every task (none outlives a task or
    # crosses a fork): connections kept idle for the next task would be opened only to be
    # closed, so a child opens the one its task uses unless the deployment says otherwise.
    os.environ.setdefault("DATABASE_POOL_MIN_SIZE", "0")
    _setup_django()
    from config.celery_app import app

    app.worker_main(worker_argv(args, pid=os.getpid()))
    return 0


def cmd_beat(args: argparse.Namespace) -> int:
    """Celery beat, the scheduler of periodic tasks: it runs only while it holds the beat lock,
    so that a second one (on any machine) waits to take over (konnaxion/runtime/beat_lock.py)."""
    _setup_django()
    from django.conf import settings

    from config.celery_app import app
    from konnaxion.runtime.beat_lock import beat_lock_held

    def on_signal(signum: int, frame: object) -> None:
        raise SystemExit(0)  # the lock is released on the way out (Celery sets its own later)

    signal.signal(signal.SIGTERM, on_signal)

    def on_wait(holder: str) -> None:
        print(f"konnaxion beat: waiting; the beat lock is held by {holder}", flush=True)

    with beat_lock_held(
        url=settings.REDIS_PURPOSE_URLS["CELERY_BROKER_URL"],
        seconds=settings.BEAT_LOCK_SECONDS,
        on_wait=on_wait,
    ) as holder:
        print(f"konnaxion beat: the beat lock is held by {holder}; starting", flush=True)
        app.start(["beat", "--loglevel", args.loglevel])
    return 0


def cmd_storage_key(args: argparse.Namespace) -> int:
    """Print a new storage master key (KONNAXION_STORAGE_KEY)."""
    from konnaxion.runtime.deployment import new_storage_key

    print(new_storage_key())
    return 0


def cmd_secret_key(args: argparse.Namespace) -> int:
    """Print a new Django secret key (DJANGO_SECRET_KEY)."""
    from konnaxion.runtime.deployment import new_secret_key

    print(new_secret_key())
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    """Django management commands against the same (embedded) services."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["konnaxion manage", *args.arguments])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="konnaxion", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    up = commands.add_parser("up", help="run the whole platform (server, worker, beat)")
    up.add_argument("--demo", action="store_true", help="load the demo data first")
    up.add_argument("--host", default=os.environ.get("KONNAXION_HOST", "127.0.0.1"))
    up.add_argument("--port", type=int, default=int(os.environ.get("KONNAXION_PORT", "8000")))
    up.add_argument(
        "--check", action="store_true", help="start, wait until /healthz is healthy, stop"
    )
    up.set_defaults(handler=cmd_up)

    serve = commands.add_parser("serve", help="the ASGI server only")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(handler=cmd_serve)

    worker = commands.add_parser("worker", help="a Celery worker only")
    worker.add_argument(
        "--name",
        default="",
        help="the worker's node name (default: KONNAXION_WORKER_NAME, else konnaxion-<pid>@<host>)",
    )
    worker.add_argument(
        "--concurrency", type=int, default=0, help="default: CELERY_WORKER_CONCURRENCY, else cores"
    )
    worker.add_argument("--loglevel", default="INFO")
    worker.set_defaults(handler=cmd_worker)

    beat = commands.add_parser("beat", help="Celery beat only")
    beat.add_argument("--loglevel", default="INFO")
    beat.set_defaults(handler=cmd_beat)

    storage_key = commands.add_parser(
        "storage-key", help="print a new storage master key (KONNAXION_STORAGE_KEY)"
    )
    storage_key.set_defaults(handler=cmd_storage_key)
    secret_key = commands.add_parser(
        "secret-key", help="print a new Django secret key (DJANGO_SECRET_KEY)"
    )
    secret_key.set_defaults(handler=cmd_secret_key)

    manage = commands.add_parser("manage", help="a Django management command")
    manage.add_argument("arguments", nargs=argparse.REMAINDER)
    manage.set_defaults(handler=cmd_manage)
    return parser


def main(argv: list[str] | None = None) -> int:
    from django.core.exceptions import ImproperlyConfigured

    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except ImproperlyConfigured as error:
        print(f"konnaxion: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
