from jianbao.text.diff import char_diff, diff_stats


def test_char_diff_marks_insertions_and_deletions() -> None:
    ops = char_diff("丰富了广大群众的夜间生活", "丰富群众夜间生活")
    assert "".join(op.text for op in ops if op.kind != "insert") == "丰富了广大群众的夜间生活"
    assert "".join(op.text for op in ops if op.kind != "delete") == "丰富群众夜间生活"
    assert diff_stats(ops) == (0, 4)


def test_replacement_is_a_deletion_and_an_insertion() -> None:
    ops = char_diff("突店经营", "出店经营")
    assert [(op.kind, op.text) for op in ops] == [
        ("delete", "突"),
        ("insert", "出"),
        ("equal", "店经营"),
    ]


def test_identical_texts_have_no_changes() -> None:
    assert diff_stats(char_diff("相同", "相同")) == (0, 0)
