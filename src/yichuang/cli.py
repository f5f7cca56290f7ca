"""The `yichuang` command: a thin front to Django's management commands and the server.

yichuang serve [--bind 127.0.0.1:8000] [--server granian|gunicorn] [--workers N]
               [--threads N] [--worker-class gthread|sync] [--no-access-log]
                                                        production server
yichuang demo                                           migrate + seed-demo + serve (SQLite)
yichuang migrate | seed-demo | import-catalog FILE | export-catalog FILE | createsuperuser
yichuang <any Django management command>
"""

from __future__ import annotations

import os
import sys


def _django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yichuang.config.settings")
    import django

    django.setup()


# Subcommands spelt with hyphens on the command line; Django names commands after files.
COMMAND_ALIASES = {
    "import-catalog": "import_catalog",
    "export-catalog": "export_catalog",
    "seed-demo": "seed_demo",
    "import-holidays": "import_holidays",
    "sync-national-holidays": "sync_national_holidays",
    "verify-history": "verify_history",
    "sweep-cases": "sweep_cases",
    "sweep-hall": "sweep_hall",
    "send-pending-reminders": "send_pending_reminders",
    "kiosk-create": "kiosk_create",
}


def _manage(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yichuang.config.settings")
    from django.core.management import execute_from_command_line

    if argv:
        argv = [COMMAND_ALIASES.get(argv[0], argv[0]), *argv[1:]]
    execute_from_command_line(["yichuang", *argv])


SERVERS = ("granian", "gunicorn")
WORKER_CLASSES = ("gthread", "sync")


def _serve_parser():
    import argparse

    env = os.environ.get
    parser = argparse.ArgumentParser(prog="yichuang serve")
    parser.add_argument("--bind", default=env("YICHUANG_BIND", "127.0.0.1:8000"))
    parser.add_argument(
        "--server",
        choices=SERVERS,
        default=env("YICHUANG_SERVER", "granian"),
        help="application server (docs/adr/0006-application-server.md)",
    )
    parser.add_argument("--workers", type=int, default=int(env("YICHUANG_WORKERS", "2")))
    parser.add_argument(
        "--threads",
        type=int,
        default=int(env("YICHUANG_THREADS", "4")),
        help="threads per worker (gunicorn gthread; granian's blocking threads)",
    )
    parser.add_argument(
        "--worker-class",
        choices=WORKER_CLASSES,
        default=env("YICHUANG_WORKER_CLASS", "gthread"),
        help="gunicorn only: gthread (threads per worker) or sync (one request at a time)",
    )
    parser.add_argument(
        "--access-log",
        action=argparse.BooleanOptionalAction,
        default=env("YICHUANG_ACCESS_LOG", "1").strip().lower() in {"1", "true", "yes", "on"},
        help="one line per request on stdout (default on; off for benchmarks)",
    )
    return parser


def serve(argv: list[str]) -> None:
    """Run the production server in-process (no development server): granian (WSGI
    interface; the default, docs/adr/0006-application-server.md) or gunicorn (gthread or
    sync workers)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yichuang.config.settings")
    args = _serve_parser().parse_args(argv)
    if args.server == "granian":
        _serve_granian(args)
    else:
        _serve_gunicorn(args)


def _serve_gunicorn(args) -> None:
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", args.bind)
            self.cfg.set("workers", args.workers)
            self.cfg.set("threads", args.threads if args.worker_class == "gthread" else 1)
            self.cfg.set("worker_class", args.worker_class)
            self.cfg.set("accesslog", "-" if args.access_log else None)
            self.cfg.set("timeout", 60)

        def load(self):
            from yichuang.config.wsgi import application

            return application

    Server().run()


def _serve_granian(args) -> None:
    from granian import Granian
    from granian.constants import Interfaces

    host, _sep, port = args.bind.rpartition(":")
    Granian(
        "yichuang.config.wsgi:application",
        address=host or "127.0.0.1",
        port=int(port),
        interface=Interfaces.WSGI,
        workers=args.workers,
        blocking_threads=args.threads,
        log_access=args.access_log,
        # As gunicorn's arbiter does: a worker that dies is replaced, and on shutdown one
        # that has not stopped after 30 s (gunicorn's graceful timeout) is killed.
        respawn_failed_workers=True,
        workers_kill_timeout=30,
    ).serve()


def demo(argv: list[str]) -> None:
    """Migrate the embedded database, load the demo centre, print the logins, serve."""
    os.environ["YICHUANG_DEMO"] = "1"
    os.environ.setdefault("DEBUG", "0")
    _manage(["migrate", "--no-input", "-v", "0"])
    _manage(["seed-demo"])
    serve(argv)


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return
    command, rest = argv[0], argv[1:]
    if command == "serve":
        serve(rest)
    elif command == "demo":
        demo(rest)
    else:
        _manage([command, *rest])


if __name__ == "__main__":
    main()
