"""The shorter run of `make deploy-check`: the production topology of deploy/ on this machine
(standalone PostgreSQL and Redis, SeaweedFS S3, nginx with deploy/nginx.conf in front of two
servers, two workers and two beats from deploy/systemd/, each with its own data folder), and the
journeys across it. The kill -9 recovery bound with the production defaults runs in
`make deploy-check` only (it waits the real visibility timeout); tests/reliability checks the
mechanism with a short one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests import topology_journeys as journeys
from tests.topology import Topology, nginx_binary

pytestmark = [pytest.mark.topology, pytest.mark.timeout(600)]

BEAT_LOCK_SECONDS = 4


@pytest.fixture(scope="module")
def deployment(tmp_path_factory) -> Iterator[Topology]:
    try:
        nginx_binary()
    except RuntimeError as missing:
        pytest.fail(str(missing))
    top = Topology(
        tmp_path_factory.mktemp("deployment"),
        extra_env={"BEAT_LOCK_SECONDS": str(BEAT_LOCK_SECONDS)},
        say=lambda line: None,
    )
    try:
        top.start()
    except Exception:
        top.stop()
        raise
    yield top
    top.stop()


@pytest.fixture(scope="module")
def tokens(deployment) -> dict[str, str]:
    return journeys.people(deployment, ["ada", *(f"editor-{n}" for n in range(7))])


def _or_logs(deployment: Topology, journey):
    """Run `journey`; on failure, the processes' logs go with the assertion."""
    try:
        return journey()
    except Exception as failure:
        raise AssertionError(f"{failure}\n{deployment.logs()}") from failure


def test_the_edge_terminates_tls_serves_static_files_and_refuses_big_bodies(deployment):
    _or_logs(deployment, lambda: journeys.edge(deployment))


def test_a_document_uploaded_on_one_server_is_read_found_and_previewed_on_the_other(
    deployment, tokens
):
    _or_logs(deployment, lambda: journeys.documents_across_servers(deployment, tokens))


def test_a_resumable_upload_continues_on_the_other_server(deployment, tokens):
    _or_logs(deployment, lambda: journeys.resumable_across_servers(deployment, tokens))


def test_a_room_holds_six_editors_across_servers_and_opens_through_the_proxy(deployment, tokens):
    _or_logs(deployment, lambda: journeys.room_across_servers(deployment, tokens))


def test_one_beat_schedules_and_the_standby_takes_over(deployment):
    _or_logs(
        deployment, lambda: journeys.single_beat(deployment, takeover_seconds=BEAT_LOCK_SECONDS)
    )


def test_servers_stay_ready_while_every_worker_is_down(deployment):
    _or_logs(deployment, lambda: journeys.ready_without_workers(deployment))
