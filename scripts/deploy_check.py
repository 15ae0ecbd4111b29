"""`make deploy-check`: the production topology on this machine, and every journey across it.

Starts standalone PostgreSQL and Redis, SeaweedFS S3, the release, two servers, two workers and
two beats from deploy/systemd/, and nginx with deploy/nginx.conf (tests/topology.py); then runs
the journeys of tests/topology_journeys.py with the production defaults (a killed worker's task
must start again within two minutes) and prints what each measured. docs/deploy.md, "Checking a
deployment on one machine", says what it does. Exit status 0 when every journey passed.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    from tests import topology_journeys as journeys
    from tests.topology import Topology

    root = Path(tempfile.mkdtemp(prefix="konnaxion-deploy-check-"))
    top = Topology(root)
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"deploy-check in {root} (load average {load}, {os.cpu_count()} cores)")
    failed = False
    try:
        top.start()
        tokens = journeys.people(top, ["ada", *(f"editor-{n}" for n in range(7))])
        steps = [
            ("edge: nginx, TLS, static files, body limit", lambda: journeys.edge(top)),
            ("documents across servers", lambda: journeys.documents_across_servers(top, tokens)),
            (
                "resumable upload across servers",
                lambda: journeys.resumable_across_servers(top, tokens),
            ),
            ("a room across servers (cap 6)", lambda: journeys.room_across_servers(top, tokens)),
            ("one beat at a time", lambda: journeys.single_beat(top, takeover_seconds=30)),
            ("ready while workers are down", lambda: journeys.ready_without_workers(top)),
            (
                "kill -9 of a worker mid-task",
                lambda: journeys.worker_killed_mid_task(
                    top, tokens, bound=journeys.RECOVERY_BOUND_SECONDS
                ),
            ),
        ]
        for name, step in steps:
            started = time.monotonic()
            try:
                figures = step()
            except Exception:
                failed = True
                print(f"FAIL {name}\n{traceback.format_exc()}")
                continue
            print(f"ok   {name} ({time.monotonic() - started:.1f} s): {figures}")
    except Exception:
        failed = True
        print(f"FAIL starting the topology\n{traceback.format_exc()}")
    finally:
        if failed:
            print(top.logs())
        top.stop()
    if failed:
        print(f"deploy-check FAILED; the processes' files are kept in {root}")
        return 1
    shutil.rmtree(root, ignore_errors=True)
    print("deploy-check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
