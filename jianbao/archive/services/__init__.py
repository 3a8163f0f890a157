"""Every write of the archive import. Each is atomic per file and takes keyword arguments only."""

from jianbao.archive.services.bulk import (
    ImportSummary,
    archive_files,
    do_confirm_ready,
    import_paths,
    run_confirm_batch,
)
from jianbao.archive.services.common import StaleItemError, refresh_state
from jianbao.archive.services.confirm import AlreadyImportedError, do_confirm_item
from jianbao.archive.services.recovery import do_cancel_batch, do_resume_batch
from jianbao.archive.services.review import (
    EntryEdit,
    do_create_series_for_item,
    do_create_unit_for_name,
    do_map_unit_name,
    do_set_unattributed,
    do_skip_item,
    do_update_parsed,
)
from jianbao.archive.services.staging import (
    do_create_batch,
    do_parse_item,
    do_stage_file,
    do_stage_upload,
    do_upload_files,
    run_parse_batch,
)

__all__ = [
    "AlreadyImportedError",
    "EntryEdit",
    "ImportSummary",
    "StaleItemError",
    "archive_files",
    "do_cancel_batch",
    "do_confirm_item",
    "do_confirm_ready",
    "do_create_batch",
    "do_create_series_for_item",
    "do_create_unit_for_name",
    "do_map_unit_name",
    "do_parse_item",
    "do_resume_batch",
    "do_set_unattributed",
    "do_skip_item",
    "do_stage_file",
    "do_stage_upload",
    "do_update_parsed",
    "do_upload_files",
    "import_paths",
    "refresh_state",
    "run_confirm_batch",
    "run_parse_batch",
]
