"""What people and operators do with a deployment, run against `tests.topology.Topology`: each
journey crosses machines (one server then the other, a worker killed, the proxy in front) and
returns the figures it measured. `make deploy-check` runs them all; `make test` a shorter set.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
import socket
import time
import uuid
from base64 import b64encode

import httpx
from websockets.sync.client import connect

from konnaxion.keenkonnect.tests.analysis_files import multipage_pdf
from konnaxion.kreative.tests.room_race import editors_race
from tests.topology import HOST, Node, Topology, wait_until

INDEX_TASK = "konnaxion.keenkonnect.tasks.resource_index_task"
MB = 1024 * 1024
# How long a task of a killed worker may wait before another worker starts it again.
RECOVERY_BOUND_SECONDS = 120
PASSWORD = "topology-check-password"


def people(top: Topology, names: list[str]) -> dict[str, str]:
    """Accounts made by an operator (`konnaxion manage shell`), their addresses verified; their
    API tokens by name."""
    code = f"""
import json
from konnaxion.users.services import email_address_set_verified
from konnaxion.users.tokens import personal_token_create
from konnaxion.users.models import User
tokens = {{}}
for name in {names!r}:
    user, _ = User.objects.get_or_create(username=name, defaults={{"email": name + "@example.org"}})
    user.set_password({PASSWORD!r})
    user.save()
    email_address_set_verified(user=user, email=user.email)
    tokens[name] = personal_token_create(owner=user, name="topology check").key
print(json.dumps(tokens))
"""
    return json.loads(top.manage_shell(code).strip().splitlines()[-1])


# -- the edge: nginx ----------------------------------------------------------------------------


def edge(top: Topology) -> dict[str, object]:
    """TLS at nginx, the forwarded scheme trusted, static files from nginx's folder, plain HTTP
    redirected, too large a body refused before any server reads it."""
    with top.edge() as web:
        ready = web.get("/readyz")
        assert ready.status_code == 200, ready.text
        page = web.get("/projects/", follow_redirects=False)
        # Django saw HTTPS (X-Forwarded-Proto from nginx): no redirect loop, and HSTS is sent.
        assert page.status_code in (200, 302), page.status_code
        assert "max-age=" in page.headers.get("strict-transport-security", ""), page.headers
        static = sorted((top.root / "release" / "static").rglob("*.css"))[0]
        name = static.relative_to(top.root / "release").as_posix()
        served = web.get(f"/{name}")
        assert served.status_code == 200 and served.content == static.read_bytes()
        assert served.headers.get("cache-control") == "max-age=3600", served.headers
    plain = httpx.get(f"http://{HOST}:{top.http_port}/projects/?a=1", follow_redirects=False)
    assert plain.status_code == 301, plain.status_code
    assert plain.headers["location"].startswith(f"https://{HOST}") and plain.headers[
        "location"
    ].endswith("/projects/?a=1")
    assert _too_large_status(top) == 413
    return {"static file": name}


def _too_large_status(top: Topology) -> int:
    """The status nginx answers a 152 MB upload with, from its headers alone."""
    context = top.tls.context()
    with (
        socket.create_connection(("127.0.0.1", top.https_port), timeout=30) as raw,
        context.wrap_socket(raw, server_hostname=HOST) as tls,
    ):
        tls.sendall(
            (
                "POST /api/projects/any/resources/ HTTP/1.1\r\n"
                f"Host: {HOST}\r\nContent-Type: application/octet-stream\r\n"
                f"Content-Length: {152 * MB}\r\nConnection: close\r\n\r\n"
            ).encode()
        )
        head = tls.recv(4096).decode("latin-1")
    return int(head.split()[1])


# -- documents across servers -------------------------------------------------------------------


def documents_across_servers(top: Topology, tokens: dict[str, str]) -> dict[str, object]:
    """Uploaded through one server; downloaded, found, previewed and heard of through the
    other; the same document through the proxy."""
    first, second = top.server_nodes[:2]
    token = tokens["ada"]
    slug = project_create(top, first, token, "Cross-server blueprints")
    word = "heliotrope"
    pdf = multipage_pdf([f"The {word} pavilion plan, page {n}." for n in range(3)], title="Plan")
    with _project_socket(second, slug, token) as events:
        resource_id = upload(top, first, token, slug, "pavilion.pdf", pdf)
        event = _next_event(events, resource_id)
    with top.client(second, token) as other:
        downloaded = other.get(f"/api/projects/{slug}/resources/{resource_id}/download/")
        assert downloaded.status_code == 200, downloaded.text
        assert hashlib.sha256(downloaded.content).digest() == hashlib.sha256(pdf).digest()
        started = time.monotonic()
        wait_indexed(other, slug, resource_id)
        indexed_after = time.monotonic() - started
        found = other.get("/api/search/", params={"q": word, "project": slug})
        assert found.status_code == 200, found.text
        assert str(resource_id) in _ids(found.json()), found.text
        preview = other.get(f"/api/projects/{slug}/resources/{resource_id}/preview/")
        assert preview.status_code == 200, preview.text
        assert preview.headers["content-type"].startswith("image/"), preview.headers
    with top.edge(token) as web:
        through_proxy = web.get(f"/api/projects/{slug}/resources/{resource_id}/download/")
        assert through_proxy.content == pdf
    return {"event heard on the other server": event, "indexed after (s)": round(indexed_after, 1)}


def resumable_across_servers(top: Topology, tokens: dict[str, str]) -> dict[str, object]:
    """A tus upload started on one server and finished on the other, downloaded through nginx."""
    first, second = top.server_nodes[:2]
    token = tokens["ada"]
    slug = project_create(top, first, token, "Resumable across servers")
    content = b"solid topology".ljust(80) + (3000).to_bytes(4, "little") + os.urandom(50 * 3000)
    tus = {"Tus-Resumable": "1.0.0"}
    patch = {**tus, "Content-Type": "application/offset+octet-stream"}
    half = len(content) // 2
    with top.client(first, token) as one, top.client(second, token) as two:
        created = one.post(
            f"/api/projects/{slug}/uploads/",
            headers={
                **tus,
                "Upload-Length": str(len(content)),
                "Upload-Metadata": f"filename {b64encode(b'part.stl').decode()}",
            },
        )
        assert created.status_code == 201, created.text
        path = httpx.URL(created.headers["Location"]).path
        sent = one.patch(path, content=content[:half], headers={**patch, "Upload-Offset": "0"})
        assert sent.status_code == 204, sent.text
        head = two.head(path, headers=tus)
        assert head.headers["Upload-Offset"] == str(half), head.headers
        done = two.patch(
            path, content=content[half:], headers={**patch, "Upload-Offset": str(half)}
        )
        assert done.status_code == 204, done.text
        resource_id = int(done.headers["Stockage-Resource"])
    with top.edge(token) as web:
        got = web.get(f"/api/projects/{slug}/resources/{resource_id}/download/")
        assert got.status_code == 200 and got.content == content
    return {"bytes": len(content)}


def room_across_servers(top: Topology, tokens: dict[str, str]) -> dict[str, object]:
    """Seven editors race into one room over both servers: exactly six get in; then a socket
    through nginx (WebSocket upgrade over TLS) is welcomed."""
    editors = [f"editor-{n}" for n in range(7)]
    first = top.server_nodes[0]
    with top.client(first, tokens[editors[0]]) as host:
        made = host.post(
            "/api/connect/workspaces/",
            json={"name": "Topology room", "session_type": "painting", "participants": editors[1:]},
        )
        assert made.status_code == 201, made.text
        session_id = made.json()["id"]
    urls = [node.url for node in top.server_nodes]
    outcome = asyncio.run(editors_race(urls, session_id, [tokens[name] for name in editors]))
    assert outcome.admitted == 6 and outcome.refused_codes == (4409,), outcome
    with connect(
        f"wss://{HOST}:{top.https_port}/ws/connect/workspaces/{session_id}/",
        origin=top.nginx.url,
        additional_headers={"Authorization": f"Token {tokens[editors[1]]}"},
        ssl=top.tls.context(),
        open_timeout=30,
    ) as room:
        welcome = json.loads(room.recv(timeout=30))
        assert welcome["type"] == "welcome", welcome
    return {"admitted": outcome.admitted, "refused": list(outcome.refused_codes)}


# -- processes dying ----------------------------------------------------------------------------


def single_beat(top: Topology, *, takeover_seconds: float) -> dict[str, object]:
    """Of two beats one schedules and one waits; when the first is killed the other takes over
    within the lock's expiry."""
    beats = [node for name, node in top.nodes.items() if name.startswith("beat-")]
    running = wait_until(
        lambda: [node for node in beats if "; starting" in node.output()], "a beat to start"
    )
    assert len(running) == 1, [node.output()[-500:] for node in beats]
    (standby,) = [node for node in beats if node is not running[0]]
    assert "waiting; the beat lock is held by" in standby.output(), standby.output()[-500:]
    running[0].kill()
    killed = time.monotonic()
    wait_until(lambda: "; starting" in standby.output(), "the standby beat", takeover_seconds + 30)
    took_over = time.monotonic() - killed
    assert took_over <= takeover_seconds + 5, took_over
    return {"standby took over after (s)": round(took_over, 1)}


def ready_without_workers(top: Topology) -> dict[str, object]:
    """With every worker killed, each server stays ready (a load balancer keeps it), the proxy
    keeps serving; the full health report tells monitoring that workers are missing."""
    for node in top.worker_nodes:
        node.kill()
    checks = 0
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        for node in top.server_nodes:
            answer = top.get(node, "/readyz")
            assert answer.status_code == 200, answer.text
            checks += 1
        time.sleep(0.5)
    with top.edge() as web:
        assert web.get("/readyz").status_code == 200
    for number in range(1, len(top.worker_nodes) + 1):
        top.start_worker(number)
    top.wait_for_workers(range(1, len(top.worker_nodes) + 1))
    return {"readiness answers while workers were down": checks}


def worker_killed_mid_task(top: Topology, tokens: dict[str, str], *, bound: float) -> dict:
    """`kill -9` of a whole worker holding an indexing task: another worker starts it again
    within `bound` seconds, and the document ends up indexed."""
    first = top.server_nodes[0]
    token = tokens["ada"]
    slug = project_create(top, first, token, "Crash recovery")
    pdf = _heavy_pdf("baseline")
    with top.client(first, token) as client:
        # The same kind of document indexed with every worker alive: the normal duration.
        started = time.monotonic()
        wait_indexed(client, slug, upload(top, first, token, slug, "baseline.pdf", pdf))
        normal = time.monotonic() - started
        # Only worker 1 runs; it takes the next document's indexing.
        doomed, rescuer = top.nodes["worker-1"], top.nodes["worker-2"]
        rescuer.stop()
        resource_id = upload(top, first, token, slug, "doomed.pdf", _heavy_pdf("doomed"))
        task_id = wait_until(
            lambda: _held_task(top, resource_id), "worker 1 to hold the indexing", 60
        )
        doomed.kill()
        killed = time.monotonic()
        state = client.get(f"/api/projects/{slug}/resources/{resource_id}/").json()
        if state.get("index_state") == "indexed":
            raise AssertionError("the indexing ended before the kill: use a heavier document")
        top.start_worker(2)
        wait_until(
            lambda: f"[{task_id}] received" in rescuer.output(), "the task again", bound + 60
        )
        restarted = time.monotonic() - killed
        wait_indexed(client, slug, resource_id, timeout=bound + 300)
        recovered = time.monotonic() - killed
    top.start_worker(1)
    top.wait_for_workers([1, 2])
    assert restarted <= bound, f"the task waited {restarted:.0f} s, more than {bound:.0f} s"
    return {
        "normal indexing (s)": round(normal, 1),
        "task started again after the kill (s)": round(restarted, 1),
        "indexed after the kill (s)": round(recovered, 1),
        "bound (s)": bound,
    }


# -- helpers ------------------------------------------------------------------------------------


def project_create(top: Topology, node: Node, token: str, title: str) -> str:
    with top.client(node, token) as client:
        title = f"{title} {uuid.uuid4().hex[:6]}"
        made = client.post("/api/keenkonnect/projects/", json={"title": title})
        assert made.status_code == 201, made.text
        return made.json()["slug"]


def upload(top: Topology, node: Node, token: str, slug: str, name: str, content: bytes) -> int:
    with top.client(node, token) as client:
        sent = client.post(
            f"/api/projects/{slug}/resources/", files={"file": (name, content, "application/pdf")}
        )
        assert sent.status_code == 201, sent.text
        return sent.json()["id"]


def wait_indexed(client: httpx.Client, slug: str, resource_id: int, timeout: float = 180) -> None:
    def indexed() -> bool:
        state = client.get(f"/api/projects/{slug}/resources/{resource_id}/").json()
        assert state.get("index_state") != "failed", state
        return state.get("index_state") == "indexed"

    wait_until(indexed, f"document {resource_id} to be indexed", timeout)


def _heavy_pdf(marker: str) -> bytes:
    """A PDF whose indexing takes a few seconds (long text for the keyword extraction)."""
    words = ["timber", "rammed", "earth", "cistern", "photovoltaic", "truss", "foundation", "gable"]
    pages = [
        " ".join(f"{marker}{n % 97} {words[(n * page) % len(words)]}" for n in range(400))
        for page in range(120)
    ]
    return multipage_pdf(pages, title=marker)


def _held_task(top: Topology, resource_id: int) -> str | None:
    """The id of the indexing task of `resource_id` while a worker holds it unacknowledged
    (kombu's Redis transport keeps such messages in the `unacked` hash of the broker)."""
    for raw in top.redis.client(0).hvals("unacked"):
        message = json.loads(raw)[0]
        headers = message.get("headers", {})
        if headers.get("task") == INDEX_TASK and re.match(
            rf"^\(?{resource_id},", headers.get("argsrepr", "")
        ):
            return headers["id"]
    return None


def _project_socket(node: Node, slug: str, token: str):
    return connect(
        f"ws://{HOST}:{node.port}/ws/projects/{slug}/",
        origin=node.url,
        additional_headers={"Authorization": f"Token {token}"},
        open_timeout=30,
    )


def _next_event(events, resource_id: int, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while True:
        frame = json.loads(events.recv(timeout=max(0.1, deadline - time.monotonic())))
        if str(frame.get("type", "")).startswith("resource.") and _mentions(frame, resource_id):
            return frame["type"]


def _mentions(frame: dict, resource_id: int) -> bool:
    return frame.get("resource") == resource_id


def _ids(payload: dict) -> list[str]:
    return [str(item.get("id")) for item in payload.get("results", [])]
