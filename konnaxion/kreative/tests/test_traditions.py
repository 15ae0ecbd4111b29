"""Only moderators approve tradition entries; the approval records who and when."""

import pytest
from django.contrib.auth.models import Group

from konnaxion.core.errors import Conflict, PermissionDenied
from konnaxion.core.permissions import MODERATORS_GROUP
from konnaxion.kreative.models import TraditionEntry
from konnaxion.kreative.services.traditions import tradition_entry_approve
from konnaxion.kreative.tests.factories import TraditionEntryFactory
from konnaxion.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def moderator():
    user = UserFactory()
    user.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    return user


@pytest.mark.parametrize("make_moderator", [moderator, lambda: UserFactory(is_staff=True)])
def test_a_moderator_approves_and_is_recorded(make_moderator):
    # given
    entry, approver = TraditionEntryFactory(), make_moderator()
    # when
    tradition_entry_approve(entry=entry, moderator=approver)
    # then
    entry.refresh_from_db()
    assert entry.approved is True
    assert entry.approved_by == approver
    assert entry.approved_at is not None


def test_anyone_else_is_refused_and_nothing_changes():
    entry = TraditionEntryFactory()
    with pytest.raises(PermissionDenied):
        tradition_entry_approve(entry=entry, moderator=entry.submitted_by)
    assert TraditionEntry.objects.filter(approved=False, approved_by=None).count() == 1


def test_an_entry_is_approved_once():
    entry = TraditionEntryFactory()
    tradition_entry_approve(entry=entry, moderator=moderator())
    with pytest.raises(Conflict):
        tradition_entry_approve(entry=entry, moderator=moderator())
