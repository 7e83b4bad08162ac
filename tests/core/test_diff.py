"""Word diffs of readable texts (issue 14)."""

from __future__ import annotations

from workbench.core.sources.diff import inline, word_diff

OLD = (
    "The council approved the budget on Tuesday. Spending on roads rises by 12 per cent this "
    'year. "We will not raise taxes," the mayor said. The harbour closes in 2027, officials '
    "confirmed, after a long review of its finances by the port authority."
)
NEW = (
    "The council approved the budget on Tuesday. Spending on roads rises by 14 per cent this "
    "year. The harbour closes in 2027, officials confirmed, after a long review of its "
    "finances by the port authority and the regional government."
)


def test_identical_texts_have_no_passages_whatever_the_spacing() -> None:
    diff = word_diff(OLD, OLD.replace(" ", "\n  "))
    assert diff.identical
    assert diff.words_changed == 0
    assert diff.describe() == "The readable texts are the same word for word"


def test_edited_figure_removed_quotation_and_added_words() -> None:
    diff = word_diff(OLD, NEW)
    assert [(p.removed, p.added) for p in diff.passages] == [
        (
            '12 per cent this year. "We will not raise taxes," the mayor said.',
            "14 per cent this year.",
        ),
        ("", "and the regional government"),
    ]
    # 12 -> 14 is one changed word; the quotation sentence is eight more; then four added
    assert [(p.words_removed, p.words_added) for p in diff.passages] == [(9, 1), (0, 4)]
    assert diff.words_changed == 13
    assert diff.describe() == "13 words changed in 2 passages"
    assert inline(diff) == [
        "… budget on Tuesday. Spending on roads rises by [-12-]{+14+} per cent "
        'this year. [-"We will not raise taxes," the mayor said.-] The harbour closes in 2027, '
        "officials confirmed, after …",
        "… review of its finances by the port authority {+and the regional government+}.",
    ]


def test_spans_point_into_both_texts() -> None:
    diff = word_diff(OLD, NEW)
    for op in diff.ops:
        if op.kind == "equal":
            assert OLD[op.a_start : op.a_end].split() == NEW[op.b_start : op.b_end].split()
        elif op.kind == "delete":
            assert op.b_start == op.b_end
        else:
            assert op.a_start == op.a_end
    covered_a = "".join(OLD[op.a_start : op.a_end] for op in diff.ops)
    assert "".join(covered_a.split()) == "".join(OLD.split())


def test_one_word_and_empty_texts() -> None:
    assert word_diff("", "").identical
    diff = word_diff("", "Hello world.")
    assert diff.describe() == "2 words changed in 1 passage"
    assert word_diff("A cat.", "A dog.").describe() == "1 word changed in 1 passage"


def test_a_replacement_keeps_the_space_after_it() -> None:
    diff = word_diff("an estimated 12,400 vehicles a day", "an estimated 12,900 vehicles a day")
    assert inline(diff) == ["an estimated [-12,400-]{+12,900+} vehicles a day"]
