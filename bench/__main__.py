"""`python -m bench` (`make bench`): run every benchmark module in this package.

Each module `bench/<topic>.py` exposes `run(quick: bool) -> None` and prints its own
figures. Quick by default; `BENCH_FULL=1` for the longer variant. Names given on the
command line (`python -m bench calendar_index`) select modules.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
import time
from pathlib import Path


def _setup_django() -> None:
    """Benchmarks that touch models need Django; pure ones do not mind it being set up."""
    src = Path(__file__).resolve().parent.parent / "src"
    if src.is_dir() and str(src) not in sys.path:
        sys.path.insert(0, str(src))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yichuang.config.settings")
    os.environ.setdefault("YICHUANG_TEST", "1")
    import django

    django.setup()


def main(argv: list[str]) -> int:
    quick = os.environ.get("BENCH_FULL", "").strip().lower() not in {"1", "true", "yes", "on"}
    package = Path(__file__).resolve().parent
    names = sorted(
        info.name for info in pkgutil.iter_modules([str(package)]) if not info.name.startswith("_")
    )
    if argv:
        unknown = sorted(set(argv) - set(names))
        if unknown:
            print(f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(names)}")
            return 2
        names = [name for name in names if name in argv]
    _setup_django()
    print(f"bench: {'quick' if quick else 'full'} run of {', '.join(names) or 'nothing'}")
    failed = 0
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        run = getattr(module, "run", None)
        if run is None:
            continue
        print(f"\n== {name} ==")
        started = time.perf_counter()
        try:
            run(quick=quick)
        except Exception as exc:  # report and go on with the other benchmarks
            failed += 1
            print(f"{name} FAILED: {type(exc).__name__}: {exc}")
        print(f"({name}: {time.perf_counter() - started:.1f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
