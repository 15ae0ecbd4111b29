"""Check-out locks under concurrency (docs/checkout.md): two people locking at once, and a new
version racing a lock, serialised by the project's then the document's row lock; the expiry
sweep on a real worker."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from konnaxion.core.errors import Locked
from konnaxion.keenkonnect.models import DocumentCheckout, DocumentVersion, ProjectEvent
from konnaxion.keenkonnect.selectors import resource_get_visible
from konnaxion.keenkonnect.services.document_checkout import checkout_acquire, checkout_release
from konnaxion.keenkonnect.services.document_versioning import version_create
from konnaxion.keenkonnect.tasks import checkouts_expire_task
from konnaxion.keenkonnect.tests.files import incoming_file, pdf_bytes
from konnaxion.keenkonnect.tests.test_document_checkout import _world
from konnaxion.keenkonnect.tests.test_lock_order import _run_together

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 6


def _as(user, project, document):
    return resource_get_visible(user=user, project=project, resource_id=document.pk)


def _lock_round(users, project, document) -> dict[str, str]:
    """Ada and Bob lock the document at once: what each got ("holds", or the holder named)."""
    outcomes: dict[str, str] = {}

    def lock(name: str) -> None:
        try:
            checkout_acquire(resource=_as(users[name], project, document), actor=users[name])
            outcomes[name] = "holds"
        except Locked as refusal:
            outcomes[name] = refusal.details["holder"]

    assert _run_together(lambda: lock("ada"), lambda: lock("bob")) == []
    return outcomes


def test_two_people_locking_at_once_exactly_one_holds_it():
    # given
    project, users, document = _world()
    for _ in range(ROUNDS):
        # when
        outcomes = _lock_round(users, project, document)
        # then: one holds it, the other was told who
        holder = DocumentCheckout.objects.get(resource=document).holder
        winner = "ada" if holder == users["ada"] else "bob"
        loser = "bob" if winner == "ada" else "ada"
        assert outcomes == {winner: "holds", loser: holder.username}
        checkout_release(resource=_as(holder, project, document), actor=holder)


def _version_round(users, project, document) -> list[Locked]:
    """Bob uploads a new version while Ada locks the document: Bob's refusals."""
    refused: list[Locked] = []

    def upload() -> None:
        try:
            version_create(
                resource=_as(users["bob"], project, document),
                upload=incoming_file(pdf_bytes("bob")),
                actor=users["bob"],
            )
        except Locked as refusal:
            refused.append(refusal)

    def lock() -> None:
        checkout_acquire(resource=_as(users["ada"], project, document), actor=users["ada"])

    assert _run_together(upload, lock) == []
    return refused


def test_a_new_version_racing_a_lock_lands_before_it_or_is_refused():
    # given
    project, users, document = _world()
    bobs = DocumentVersion.objects.filter(resource=document, uploaded_by=users["bob"])
    for _ in range(ROUNDS):
        before = bobs.count()
        # when
        refused = _version_round(users, project, document)
        # then: ada holds the lock; bob's version either landed first or was refused
        assert DocumentCheckout.objects.get(resource=document).holder == users["ada"]
        locked_seq = ProjectEvent.objects.filter(type="resource.locked").latest("seq").seq
        if refused:
            assert bobs.count() == before
        else:
            assert bobs.count() == before + 1
            added = ProjectEvent.objects.filter(type="resource.version_added").latest("seq")
            assert added.seq < locked_seq
        checkout_release(resource=_as(users["ada"], project, document), actor=users["ada"])


def test_expired_locks_are_swept_by_the_task_on_a_real_worker(celery_worker):
    # given an expired lock
    project, users, document = _world()
    checkout_acquire(resource=_as(users["ada"], project, document), actor=users["ada"])
    past = timezone.now() - timedelta(hours=1)
    DocumentCheckout.objects.update(created_at=past - timedelta(hours=1), expires_at=past)
    # when
    removed = checkouts_expire_task.delay().get(timeout=60)
    # then
    assert removed == 1
    assert not DocumentCheckout.objects.exists()
    assert ProjectEvent.objects.filter(type="resource.unlocked").count() == 1
