import pytest

from pamong.audit import tasks
from pamong.audit.models import SignedTreeHead
from pamong.audit.tests.factories import append_events

pytestmark = pytest.mark.django_db


def test_periodic_job_signs_only_when_the_log_grew():
    append_events(3)
    tasks.publish_tree_head.call_local()
    tasks.publish_tree_head.call_local()
    assert list(SignedTreeHead.objects.values_list("tree_size", flat=True)) == [3]
    append_events(1)
    tasks.publish_tree_head.call_local()
    assert sorted(SignedTreeHead.objects.values_list("tree_size", flat=True)) == [3, 4]
