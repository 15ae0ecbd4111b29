"""The shared document: merging, persistence, compaction and the frame codec."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from pycrdt import Array, Doc, Map

from konnaxion.core.errors import Conflict
from konnaxion.kreative.models import CollabDocument
from konnaxion.kreative.realtime import documents
from konnaxion.kreative.realtime.documents import (
    AwarenessEntry,
    AwarenessMessage,
    InvalidUpdate,
    ProtocolError,
    SyncMessage,
    SyncStep,
    collab_document_state,
    message_parse,
)
from konnaxion.kreative.services.collaboration_workspace import collab_document_apply_update
from konnaxion.kreative.tests.factories import CollabSessionFactory


def stroke_update(doc: Doc, stroke_id: str) -> bytes:
    before = doc.get_state()
    canvas = doc.get(documents.CANVAS, type=Array)
    canvas.append(Map({"id": stroke_id}))
    return doc.get_update(before)


def client() -> Doc:
    doc = Doc()
    doc[documents.CANVAS] = Array()
    return doc


def stored_ids(session_id: int) -> list[str]:
    doc = Doc()
    doc.apply_update(collab_document_state(session_id=session_id))
    return [item["id"] for item in doc.get(documents.CANVAS, type=Array).to_py() or []]


@pytest.mark.django_db
def test_an_update_is_merged_and_the_same_update_again_changes_nothing():
    # given
    session = CollabSessionFactory()
    update = stroke_update(client(), "a")
    # when
    first = collab_document_apply_update(session_id=session.pk, update=update)
    again = collab_document_apply_update(session_id=session.pk, update=update)
    # then
    assert (first.changed, first.version) == (True, 1)
    assert (again.changed, again.version) == (False, 1)
    assert stored_ids(session.pk) == ["a"]
    assert CollabDocument.objects.get(session=session).version == 1


@pytest.mark.django_db
def test_the_stored_state_is_one_compact_update():
    # given
    session = CollabSessionFactory()
    author = client()
    updates = [stroke_update(author, f"s{n}") for n in range(30)]
    # when
    for update in updates:
        collab_document_apply_update(session_id=session.pk, update=update)
    # then
    assert bytes(CollabDocument.objects.get(session=session).state) == author.get_update()


@pytest.mark.django_db
def test_a_step1_answer_carries_only_what_the_client_lacks():
    # given
    session = CollabSessionFactory()
    author = client()
    collab_document_apply_update(session_id=session.pk, update=stroke_update(author, "old"))
    late = client()
    late.apply_update(author.get_update())
    collab_document_apply_update(session_id=session.pk, update=stroke_update(author, "new"))
    # when
    frame = documents.sync_step2_frame(session_id=session.pk, state_vector=late.get_state())
    # then
    message = message_parse(frame)
    assert message.step == SyncStep.STEP2
    assert message.payload == author.get_update(late.get_state())
    late.apply_update(message.payload)
    assert [item["id"] for item in late.get(documents.CANVAS, type=Array).to_py()] == [
        "old",
        "new",
    ]


@pytest.mark.django_db
def test_an_undecodable_update_is_refused_and_stores_nothing():
    # given
    session = CollabSessionFactory()
    # when / then
    with pytest.raises(InvalidUpdate):
        collab_document_apply_update(session_id=session.pk, update=b"\x01\x02garbage")
    assert CollabDocument.objects.get(session=session).version == 0
    assert collab_document_state(session_id=session.pk) == documents.EMPTY_UPDATE


@pytest.mark.django_db
def test_an_ended_session_document_is_read_only():
    # given
    now = timezone.now()
    session = CollabSessionFactory(started_at=now - timedelta(hours=1), ended_at=now)
    # when / then
    with pytest.raises(Conflict) as refusal:
        collab_document_apply_update(session_id=session.pk, update=stroke_update(client(), "x"))
    assert refusal.value.code == "session_ended"
    assert not CollabDocument.objects.filter(session=session, version__gt=0).exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_lose_nothing():
    # given
    session = CollabSessionFactory()
    authors = [client() for _ in range(6)]
    batches = [[stroke_update(doc, f"{i}-{n}") for n in range(10)] for i, doc in enumerate(authors)]
    barrier = threading.Barrier(len(batches))

    def write(batch: list[bytes]) -> None:
        barrier.wait()
        try:
            for update in batch:
                collab_document_apply_update(session_id=session.pk, update=update)
        finally:
            connection.close()

    # when
    threads = [threading.Thread(target=write, args=(batch,)) for batch in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then
    assert sorted(stored_ids(session.pk)) == sorted(f"{i}-{n}" for i in range(6) for n in range(10))
    assert CollabDocument.objects.get(session=session).version == 60


def test_frames_round_trip_and_malformed_frames_are_refused():
    # given
    entry = AwarenessEntry(client_id=300, clock=4, state={"user": "ana", "cursor": [1, 2]})
    # when
    update = message_parse(documents.update_message(b"\x00\x00"))
    awareness = message_parse(documents.awareness_frame((entry,)))
    removal = message_parse(documents.awareness_removal((entry,)))
    # then
    assert update == SyncMessage(SyncStep.UPDATE, b"\x00\x00")
    assert isinstance(awareness, AwarenessMessage)
    assert awareness.entries == (entry,)
    assert removal.entries == (AwarenessEntry(client_id=300, clock=5, state=None),)
    for frame in [b"", b"\x00", b"\x00\x09\x00", b"\x00\x02\x05ab", b"\x05", b"\x01\x03\x01\x01"]:
        with pytest.raises(ProtocolError):
            message_parse(frame)
