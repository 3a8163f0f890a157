"""The demo's instructions, emergency thread and forwarded item."""

from __future__ import annotations

import pytest

from jianbao.bulletins.models import Adoption
from jianbao.demo.build import build_demo
from jianbao.emergency.models import EmergencyThread
from jianbao.instructions.models import FollowUp, TargetState

pytestmark = pytest.mark.django_db


def test_the_demo_has_open_and_answered_instructions_a_late_thread_and_a_forwarded_item() -> None:
    build_demo()
    states = {
        f.instruction.leader_name: {t.state for t in f.targets.all()}
        for f in FollowUp.objects.all()
    }
    assert states["张书记"] == {TargetState.PENDING}
    assert states["刘区长"] == {TargetState.ANSWERED}
    thread = EmergencyThread.objects.get()
    assert [r.late for r in thread.reports.all()] == [False, True]
    assert thread.compiled_pdf and thread.compiled_sha256
    assert Adoption.objects.filter(forwarded=True, outlet="郑州信息").exists()
