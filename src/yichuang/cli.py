"""The `yichuang` command: a thin front to Django's management commands and the server.

yichuang serve [--bind 127.0.0.1:8000] [--workers N]   production server (gunicorn)
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


def serve(argv: list[str]) -> None:
    """Run gunicorn with threaded workers in-process (no development server)."""
    import argparse

    from gunicorn.app.base import BaseApplication

    parser = argparse.ArgumentParser(prog="yichuang serve")
    parser.add_argument("--bind", default=os.environ.get("YICHUANG_BIND", "127.0.0.1:8000"))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("YICHUANG_WORKERS", "2")))
    parser.add_argument("--threads", type=int, default=int(os.environ.get("YICHUANG_THREADS", "4")))
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yichuang.config.settings")

    class Server(BaseApplication):
        def load_config(self) -> None:
            self.cfg.set("bind", args.bind)
            self.cfg.set("workers", args.workers)
            self.cfg.set("threads", args.threads)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("accesslog", "-")
            self.cfg.set("timeout", 60)

        def load(self):
            from yichuang.config.wsgi import application

            return application

    Server().run()


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
