# Chinese text uses full-width Chinese punctuation on purpose.
# ruff: noqa: RUF001

import pytest

from baton.lib.segment import fold, matches, parse_query, segment, spans, term, tokens


def test_chinese_runs_become_bigrams_and_their_last_character():
    assert segment("商品质量问题") == "商品 品质 质量 量问 问题 题"
    assert segment("退") == "退"
    assert segment("七天无理由，退换货") == "七天 天无 无理 理由 由 退换 换货 货"


def test_digits_like_chinese_words_like_words():
    assert segment("订单号2026112400123") == "订单 单号 号 20 02 26 61 11 12 24 40 00 01 12 23 3"
    assert segment("Refund requested") == "refund requested"
    assert segment("旺旺zhangwei88") == "旺旺 旺 zhangwei 88 8"
    assert segment("SH-12") == "sh 12 2"


def test_punctuation_symbols_and_emoji_separate_and_disappear():
    assert segment("…「退款」!!! 😀 ¥59 #tag_1") == "退款 款 59 9 tag 1"
    assert segment("  \n\t") == ""
    assert tokens("* : & | ! ( ) \" '") == []


def test_folding_keeps_the_length_and_maps_full_width_and_case():
    for text in ["ＳＨ－１２ 退款", "İSTANBUL", "Straße ÀÉÎ", "ｱｲｳ", "豈"]:
        assert len(fold(text)) == len(text)
    assert segment("ＳＨ－１２") == "sh 12 2"
    assert segment("ÀÉÎ café") == "àéî café"  # no diacritics removed


def test_spans_point_into_the_original_text():
    text = "订单ＳＨ-12 Refund"
    for token, start, end in spans(text):
        assert fold(text[start:end]).startswith(token[0])
    assert [t for t, _s, _e in spans(text)] == tokens(text)
    assert spans(text)[-1] == ("refund", 8, 14)
    assert text[8:14] == "Refund"


@pytest.mark.parametrize(
    ("query", "expected", "prefix"),
    [
        ("退款", ("退款",), False),
        ("商品质量", ("商品", "品质", "质量"), False),
        ("退", ("退",), True),
        ("refu", ("refu",), True),
        ("REFUND", ("refund",), True),
        ("SH-12", ("sh", "12"), False),
        ("sh-1", ("sh", "1"), True),
        ("400123", ("40", "00", "01", "12", "23"), False),
        ("zhangwei88", ("zhangwei", "88"), False),
        ("12-34", ("12", "2", "34"), False),
    ],
)
def test_a_term_is_its_tokens_with_the_last_run_open_ended(query, expected, prefix):
    found = term(query)
    assert found.tokens == expected
    assert found.prefix is prefix


def test_queries_split_on_whitespace_and_drop_what_has_no_letters_or_digits():
    assert [t.tokens for t in parse_query("保温杯  漏水 保温杯")] == [("保温", "温杯"), ("漏水",)]
    assert parse_query("") == parse_query("   ") == parse_query('" * : ( ) - &') == []
    assert [t.tokens for t in parse_query('"退款" OR NEAR(')] == [("退款",), ("or",), ("near",)]
    assert len(parse_query("退款" * 500)) == 1
    assert len(parse_query(" ".join(f"词{i}" for i in range(40)))) == 8


def test_a_term_matches_where_its_text_occurs():
    text = "订单号2026112400123 申请退款处理中 Refund requested"
    found = spans(text)

    def where(query):
        return [text[a:b] for a, b in matches(found, term(query))]

    assert where("退款") == ["退款"]
    assert where("退款处理中") == ["退款处理中"]
    assert where("400123") == ["400123"]
    assert where("2026112400123") == ["2026112400123"]
    assert where("refu") == ["Refu"]
    assert where("退") == ["退"]
    assert where("中") == ["中"]  # the last character of a run
    assert where("123申请") == ["123 申请"]
    assert where("款退") == []
    assert where("fund") == []  # words match from their start


def test_the_ranking_pattern_finds_the_term_in_folded_text():
    assert len(term("退款").pattern.findall(fold("退款，再退款"))) == 2
    assert len(term("refu").pattern.findall(fold("Refund, prefund, REFUSE"))) == 2
    assert len(term("SH-1").pattern.findall(fold("SH-12 sh 1 xsh-1"))) == 2


def test_long_words_are_cut_the_same_way_in_text_and_query():
    assert tokens("x" * 100) == ["x" * 64]
    assert term("X" * 100).tokens == ("x" * 64,)
    assert spans("x" * 100) == [("x" * 64, 0, 100)]
