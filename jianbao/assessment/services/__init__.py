"""Every write of 考核: rule-set versions, outside adoptions and instructions, recompute,
objections. Each is atomic, audited and takes keyword arguments."""

from jianbao.assessment.services.objections import (
    do_accept_objection,
    do_reject_objection,
    do_submit_objection,
)
from jianbao.assessment.services.recompute import (
    do_confirm_recompute,
    do_freeze_period,
    do_preview_recompute,
    do_recompute,
)
from jianbao.assessment.services.records import (
    do_record_adoption,
    do_record_instruction,
    do_record_outside_issue,
)
from jianbao.assessment.services.rules import do_save_rule_set_version

__all__ = [
    "do_accept_objection",
    "do_confirm_recompute",
    "do_freeze_period",
    "do_preview_recompute",
    "do_recompute",
    "do_record_adoption",
    "do_record_instruction",
    "do_record_outside_issue",
    "do_reject_objection",
    "do_save_rule_set_version",
    "do_submit_objection",
]
