"""baton.lib.markdown.plain_text: the words of user Markdown, for previews."""

# ruff: noqa: RUF001  (Chinese text uses full-width Chinese punctuation on purpose)

from baton.lib.markdown import plain_text, render_markdown


def test_markup_becomes_the_words_a_reader_sees():
    assert plain_text("**退款**已处理，请 _尽快_ 确认 ~~旧单~~") == "退款已处理，请 尽快 确认 旧单"


def test_links_keep_their_text_and_images_their_alt_text_but_no_address():
    text = plain_text("见 [订单](https://shop.example/o/1) ![截图](https://img.example/a.png)")
    assert text == "见 订单 截图"


def test_blocks_lists_quotes_tables_and_code_are_joined_on_one_line():
    body = "# 标题\n\n- [x] 退款\n- 换货\n\n> 客户说\n\n```\ncode  here\n```\n\n|a|b|\n|-|-|\n|1|2|"
    assert plain_text(body) == "标题 退款 换货 客户说 code here a b 1 2"


def test_html_stays_text_for_the_template_to_escape():
    assert plain_text("<script>alert(1)</script> `<b>`") == "<script>alert(1)</script> <b>"


def test_empty_text_gives_empty_text():
    assert plain_text("") == ""
    assert plain_text("   \n\n") == ""


def test_an_image_refused_by_keep_image_becomes_a_link_and_a_kept_one_stays():
    html = render_markdown(
        "![ours](/files/1.png) ![theirs](//evil.example/p.gif)",
        keep_image=lambda src: src.startswith("/files/"),
    )
    assert '<img src="/files/1.png" alt="ours">' in html
    assert '<a href="//evil.example/p.gif" rel="noopener noreferrer nofollow">theirs</a>' in html
    assert "<img" not in html.replace('<img src="/files/1.png"', "")
