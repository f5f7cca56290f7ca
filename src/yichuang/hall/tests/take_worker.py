"""A process of the concurrency test: many threads taking numbers at once.

`python -m yichuang.hall.tests.take_worker <centre code> <threads> <per thread> <connections>`
with DATABASE_URL naming the test database. Every tenth ticket claims the priority lane;
every fourth goes to queue B, the rest to A. Prints the numbers taken, as JSON.
"""

from __future__ import annotations

import json
import os
import sys
import threading


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yichuang.config.settings")
    import django

    django.setup()
    from django.db import connection

    from yichuang.hall.models import TakenVia
    from yichuang.hall.services.tickets import ticket_take
    from yichuang.orgs.models import Centre

    centre_code, threads, per_thread, connections = argv[0], *map(int, argv[1:4])
    centre = Centre.objects.get(code=centre_code)
    connection.close()
    start = threading.Barrier(threads)
    # The server allows 100 connections for the whole suite: each process holds at most
    # `connections` at a time, while all its threads contend for them.
    open_connections = threading.BoundedSemaphore(connections)
    taken: list[list] = []
    failures: list[str] = []

    def work(thread: int) -> None:
        start.wait()
        for k in range(per_thread):
            n = thread * per_thread + k
            with open_connections:
                try:
                    ticket = ticket_take(
                        centre=centre,
                        queue_code="B" if n % 4 == 0 else "A",
                        via=TakenVia.KIOSK,
                        priority="pregnant" if n % 10 == 0 else "",
                    )
                    taken.append([ticket.number, ticket.rank])
                except Exception as error:  # reported to the test, which fails on any
                    failures.append(repr(error))
                finally:
                    connection.close()

    workers = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    print(json.dumps({"taken": taken, "failures": failures}))


if __name__ == "__main__":
    main(sys.argv[1:])
