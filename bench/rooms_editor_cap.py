"""Benchmark: 1,000 trials of 7-10 editors racing into a room through two ASGI server processes.

Every trial opens a fresh room and connects its editors at once, alternating between the two
servers (which share Redis and PostgreSQL). Each must admit exactly `COLLAB_CANVAS_MAX_USERS`
and refuse the others with `room_full` and close code 4409. Uses its own data directory
(`var/bench`, embedded PostgreSQL and Redis). `BENCH_TRIALS` changes the number of trials.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("KONNAXION_DATA_DIR", str(ROOT / "var" / "bench"))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
TRIALS = int(os.environ.get("BENCH_TRIALS", "1000"))


def main() -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from konnaxion.kreative.services.collab_sessions import collab_session_end
    from konnaxion.kreative.services.collaboration_workspace import workspace_create
    from konnaxion.kreative.tests.room_race import editors_race
    from konnaxion.kreative.tests.rooms_live import free_port, room_servers
    from konnaxion.users.models import User
    from konnaxion.users.tokens import personal_token_create

    call_command("migrate", verbosity=0)
    users = [User.objects.get_or_create(username=f"bench-editor-{n}")[0] for n in range(10)]
    tokens = [
        personal_token_create(owner=user, name="editor cap", expires_in_days=1).key
        for user in users
    ]
    cap = settings.COLLAB_CANVAS_MAX_USERS
    rng = random.Random(1000)  # a reproducible choice of contenders
    failures, durations = [], []
    with room_servers([free_port(), free_port()], dict(os.environ)) as urls:
        for trial in range(TRIALS):
            session = workspace_create(
                host=users[0],
                name=f"bench {trial}",
                session_type="painting",
                participants=[user.username for user in users[1:]],
            )
            contenders = rng.randint(7, 10)
            started = time.perf_counter()
            outcome = asyncio.run(editors_race(urls, session.pk, tokens[:contenders]))
            durations.append(time.perf_counter() - started)
            if outcome.admitted != cap or outcome.refused_codes != (4409,) * (contenders - cap):
                failures.append((trial, contenders, outcome))
            # One host opens at most COLLAB_MAX_OPEN_ROOMS_PER_USER rooms at once.
            collab_session_end(session=session, actor=users[0])
    durations.sort()
    print(
        f"{TRIALS} trials, 2 server processes: {len(failures)} wrong admissions (target 0: "
        f"{'met' if not failures else 'not met'}); "
        f"trial time median {statistics.median(durations) * 1000:.1f} ms, "
        f"p95 {durations[int(len(durations) * 0.95) - 1] * 1000:.1f} ms"
    )
    for failure in failures[:10]:
        print("  wrong:", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
