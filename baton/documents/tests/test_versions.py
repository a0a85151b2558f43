"""Version storage (full texts now and then, line deltas between) and the word-level diff."""

# Chinese text uses full-width punctuation, as Chinese text should.
# ruff: noqa: RUF001

import random

import pytest

from baton.documents import versions
from baton.lib.diff import diff_line, diff_texts

SCRIPT = "\n".join(
    [
        "# 售后退换货话术",
        "",
        "亲，您好！收到商品有任何问题，请先拍照发给我们哦～",
        "七天无理由退货：商品未使用、吊牌完好即可申请。",
        "| 情况 | 处理 |",
        "|---|---|",
        "| 质量问题 | 运费由我们承担 |",
        "",
    ]
)


def test_a_delta_turns_one_text_into_the_next():
    edited = SCRIPT.replace("七天无理由退货", "七天无理由退换货").replace("哦～", "哦～\n新增一行")
    delta = versions.make_delta(SCRIPT, edited)
    assert versions.apply_delta(SCRIPT, delta) == edited
    assert len(delta) < len(versions.pack_text(edited))


@pytest.mark.parametrize("old, new", [("", "a\nb"), ("a\nb", ""), ("x", "x\n"), ("a\r\nb", "a\nb")])
def test_deltas_at_the_edges(old, new):
    assert versions.apply_delta(old, versions.make_delta(old, new)) == new


def test_a_long_history_rebuilds_every_version_from_little_storage():
    rng = random.Random(7)
    lines = [
        f"第 {n} 行：亲，您好，关于订单 2026112400{n:03d} 的问题我们马上处理。" for n in range(600)
    ]
    texts, rows = [], []
    for number in range(1, 61):
        lines[rng.randrange(len(lines))] += f" 第 {number} 次修改"
        text = "\n".join(lines)
        stored = versions.encode(number, texts[-1] if texts else None, text)
        rows.append((stored.kind, stored.data))
        texts.append(text)
    assert [kind for kind, _ in rows].count(versions.FULL) == 3  # 1, 21, 41
    for number in (1, 2, 20, 21, 39, 60):
        start = max(i for i in range(number) if rows[i][0] == versions.FULL)
        assert number - start <= versions.KEYFRAME_EVERY
        assert versions.rebuild(rows[start:number]) == texts[number - 1]
    stored = sum(len(data) for _, data in rows)
    assert stored < len("".join(texts).encode()) / 50


def test_rebuilding_needs_a_full_text_to_start_from():
    with pytest.raises(ValueError):
        versions.rebuild([(versions.DELTA, versions.make_delta("a", "b"))])


def test_one_changed_chinese_character_is_all_that_is_highlighted():
    old_html, new_html, ratio = diff_line(
        "七天无理由退货，运费买家承担。", "七天无理由退换货，运费买家承担。"
    )
    assert new_html == "七天无理由退<ins>换</ins>货，运费买家承担。"
    assert old_html == "七天无理由退货，运费买家承担。"
    assert ratio > 0.9


def test_english_changes_by_whole_words_and_html_is_escaped():
    old_html, new_html, _ = diff_line("Refund <b>within</b> 7 days", "Refund <b>within</b> 15 days")
    assert "<del>7</del>" in old_html and "<ins>15</ins>" in new_html
    assert "&lt;b&gt;within&lt;/b&gt;" in new_html
    assert "<b>" not in new_html


def test_a_text_diff_pairs_changed_lines_and_counts_them():
    new = SCRIPT.replace("七天无理由退货", "七天无理由退换货").replace(
        "| 质量问题 | 运费由我们承担 |", "| 质量问题 | 运费由我们承担 |\n| 发错货 | 补发或退款 |"
    )
    diff = diff_texts(SCRIPT, new)
    kinds = [row.kind for row in diff.rows if row.kind != "equal"]
    assert kinds == ["change", "insert"]
    assert (diff.added, diff.removed) == (2, 1)
    change = next(row for row in diff.rows if row.kind == "change")
    assert "<ins>换</ins>" in change.new_html and change.old_number == change.new_number == 4
    hunks = diff.hunks(context=1)
    assert len(hunks) == 2 and all(row.kind for row in hunks[0])


def test_a_rewritten_line_is_shown_as_out_and_in_not_confetti():
    diff = diff_texts("亲，您好！", "Dear customer, hello!")
    assert [row.kind for row in diff.rows] == ["delete", "insert"]
    assert diff.rows[0].old_html == "<del>亲，您好！</del>"


def test_nothing_changed():
    diff = diff_texts(SCRIPT, SCRIPT)
    assert not diff.changed and diff.hunks() == []
