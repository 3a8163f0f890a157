"""The demo's distributed issue: delivered to its lists with some receipts missing."""

from __future__ import annotations

import pytest

from jianbao.demo.build import build_demo
from jianbao.distribution.models import Distribution, DistributionState, Receipt

pytestmark = pytest.mark.django_db


def test_the_demo_issue_is_distributed_with_receipts_missing() -> None:
    build_demo()
    distribution = Distribution.objects.get(issue__series__title="上街信息")
    assert distribution.state == DistributionState.DELIVERED
    receipts = {r.recipient.username: r for r in Receipt.objects.filter(issue=distribution.issue)}
    assert set(receipts) == {"lingdao", "xcb", "gyl", "ks_shenhe", "zgh", "kfq"}
    assert receipts["lingdao"].acknowledged_at and receipts["lingdao"].copy_number == 1
    assert receipts["ks_shenhe"].acknowledged_at and receipts["xcb"].first_read_at
    assert receipts["xcb"].acknowledged_at is None and receipts["gyl"].first_read_at is None
