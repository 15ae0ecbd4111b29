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
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    # Imported by this subcommand only, like the supervisor in cmd_up.
    import uvicorn

    from konnaxion.runtime.supervisor import proxy_header_options

    uvicorn.run(
        "config.asgi:application",
        host=args.host,
        port=args.port,
        workers=args.workers,
        lifespan="off",
        **proxy_header_options(os.environ),
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


def cmd_worker(args: argparse.Namespace) -> int:
    """A Celery worker."""
    _setup_django()
    from config.celery_app import app

    argv = ["worker", "--loglevel", args.loglevel]
    if args.concurrency:
        argv += ["--concurrency", str(args.concurrency)]
    app.worker_main(argv)
    return 0


def cmd_beat(args: argparse.Namespace) -> int:
    """Celery beat, the scheduler of periodic tasks (run exactly one per deployment)."""
    _setup_django()
    from config.celery_app import app

    app.start(["beat", "--loglevel", args.loglevel])
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
    worker.add_argument("--concurrency", type=int, default=0)
    worker.add_argument("--loglevel", default="INFO")
    worker.set_defaults(handler=cmd_worker)

    beat = commands.add_parser("beat", help="Celery beat only")
    beat.add_argument("--loglevel", default="INFO")
    beat.set_defaults(handler=cmd_beat)

    manage = commands.add_parser("manage", help="a Django management command")
    manage.add_argument("arguments", nargs=argparse.REMAINDER)
    manage.set_defaults(handler=cmd_manage)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
