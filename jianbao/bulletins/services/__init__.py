"""Every write to series, issues and entries. Each is atomic and takes keyword arguments only."""

from jianbao.bulletins.services.common import StaleIssueError
from jianbao.bulletins.services.entries import (
    do_add_submissions,
    do_create_entry,
    do_merge_submissions_into_entry,
    do_remove_entry,
    do_reorder_entries,
    do_update_entry,
)
from jianbao.bulletins.services.issues import (
    do_create_issue,
    do_start_correction,
    do_transition_issue,
    do_update_footer,
    do_update_issue,
)
from jianbao.bulletins.services.numbering import ProposedNumber, proposed_number
from jianbao.bulletins.services.publishing import do_publish_issue
from jianbao.bulletins.services.series import do_create_series, do_update_series

__all__ = [
    "ProposedNumber",
    "StaleIssueError",
    "do_add_submissions",
    "do_create_entry",
    "do_create_issue",
    "do_create_series",
    "do_merge_submissions_into_entry",
    "do_publish_issue",
    "do_remove_entry",
    "do_reorder_entries",
    "do_start_correction",
    "do_transition_issue",
    "do_update_entry",
    "do_update_footer",
    "do_update_issue",
    "do_update_series",
    "proposed_number",
]
