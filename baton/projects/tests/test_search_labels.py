"""Search finds cards by their tags and by the options of their select fields, says why, and
keeps up when tags and options change."""

# Chinese text uses full-width Chinese punctuation on purpose.
# ruff: noqa: RUF001

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from baton.projects import queries, services
from baton.search.models import Entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def tags(project, alice):
    return {
        name: services.create_tag(actor=alice, project=project, name=name, color=color)
        for name, color in [("退款", "red"), ("换货", "blue"), ("加急", "orange")]
    }


@pytest.fixture
def kind(project, alice):
    """A select field 类型 with the options 退货 and 换新."""
    return services.create_custom_field(
        actor=alice,
        project=project,
        name="类型",
        kind="select",
        options=[{"name": "退货", "color": "red"}, {"name": "换新", "color": "blue"}],
    )


def option(field, name: str) -> str:
    return next(o["id"] for o in field.options if o["name"] == name)


def card(project, lists, bob, title, **fields):
    return services.create_task(
        actor=bob, project=project, task_list=lists[0], title=title, **fields
    )


def found(user, org, query) -> dict[str, list[str]]:
    """{title: reasons as text} of the results, in English."""
    with translation.override("en"):
        return {
            r["task"].title: [str(reason) for reason in r["reasons"]]
            for r in queries.search_tasks(user, org, query)
        }


def test_a_card_whose_only_match_is_its_tag_is_found_and_says_why(project, lists, bob, org, tags):
    card(project, lists, bob, "客户来信：连衣裙尺码", tags=[tags["退款"].pk])
    card(project, lists, bob, "仓库盘点")
    assert found(bob, org, "退款") == {"客户来信：连衣裙尺码": ["Tag: <mark>退款</mark>"]}
    with translation.override("zh-hans"):
        (result,) = queries.search_tasks(bob, org, "退款")
        assert result["reasons"] == ["标签：<mark>退款</mark>"]


def test_a_tag_and_a_title_word_together_find_the_card(project, lists, bob, org, tags):
    card(project, lists, bob, "连衣裙开线", tags=[tags["换货"].pk])
    card(project, lists, bob, "连衣裙尺码")
    assert list(found(bob, org, "换货 连衣裙")) == ["连衣裙开线"]


def test_a_title_match_says_no_extra_reason(project, lists, bob, org, tags):
    card(project, lists, bob, "申请退款")
    assert found(bob, org, "退款") == {"申请退款": []}


def test_select_and_multi_select_options_find_the_card(project, lists, alice, bob, org, kind):
    channels = services.create_custom_field(
        actor=alice,
        project=project,
        name="渠道",
        kind="multi",
        options=[{"name": "天猫"}, {"name": "抖音小店"}],
    )
    task = card(project, lists, bob, "客户来信")
    assert found(bob, org, "退货") == {}
    services.set_custom_values(
        actor=bob,
        task=task,
        values={kind.pk: option(kind, "退货"), channels.pk: [option(channels, "抖音小店")]},
    )
    assert found(bob, org, "退货") == {"客户来信": ["Field 类型: <mark>退货</mark>"]}
    assert found(bob, org, "抖音") == {"客户来信": ["Field 渠道: <mark>抖音</mark>小店"]}
    with translation.override("zh-hans"):
        (result,) = queries.search_tasks(bob, org, "退货")
        assert result["reasons"] == ["字段 类型：<mark>退货</mark>"]
    services.set_custom_values(actor=bob, task=task, values={kind.pk: option(kind, "换新")})
    assert found(bob, org, "退货") == {}
    assert list(found(bob, org, "换新")) == ["客户来信"]


def test_a_new_card_with_a_choice_is_found_by_it(project, lists, bob, org, kind):
    card(project, lists, bob, "客户来信", custom_values={kind.pk: option(kind, "退货")})
    assert list(found(bob, org, "退货")) == ["客户来信"]


def test_adding_and_removing_a_tag_updates_the_index(project, lists, bob, org, tags):
    task = card(project, lists, bob, "客户来信")
    services.update_task(actor=bob, task=task, tags=[tags["退款"].pk, tags["加急"].pk])
    assert list(found(bob, org, "加急")) == ["客户来信"]
    services.update_task(actor=bob, task=task, tags=[tags["退款"].pk])
    assert found(bob, org, "加急") == {}
    services.bulk_update_tasks(
        actor=bob, project=project, task_ids=[task.pk], action="tag", value=tags["换货"].pk
    )
    assert list(found(bob, org, "换货")) == ["客户来信"]


def test_renaming_merging_and_deleting_tags_reindex_their_cards(
    project, lists, alice, bob, org, tags
):
    first = card(project, lists, bob, "客户来信", tags=[tags["退款"].pk])
    card(project, lists, bob, "第二单", tags=[tags["加急"].pk, tags["换货"].pk])
    services.update_tag(actor=alice, tag=tags["退款"], name="仅退款")
    assert found(bob, org, "仅退款") == {"客户来信": ["Tag: <mark>仅退款</mark>"]}
    services.merge_tags(actor=alice, source=tags["加急"], target=tags["换货"])
    assert found(bob, org, "加急") == {}
    assert list(found(bob, org, "换货")) == ["第二单"]
    services.merge_tags(actor=alice, source=tags["退款"], target=tags["换货"])
    assert sorted(found(bob, org, "换货")) == ["客户来信", "第二单"]
    assert found(bob, org, "仅退款") == {}
    services.delete_tag(actor=alice, tag=tags["换货"])
    assert found(bob, org, "换货") == {}
    assert list(found(bob, org, "客户来信")) == ["客户来信"]  # the card itself stays found
    assert first.tags.count() == 0


def test_renaming_and_removing_an_option_reindex_the_cards(project, lists, alice, bob, org, kind):
    card(project, lists, bob, "客户来信", custom_values={kind.pk: option(kind, "退货")})
    renamed = [{**o, "name": "退货退款"} if o["name"] == "退货" else o for o in kind.options]
    services.update_custom_field(actor=alice, field=kind, options=renamed)
    assert found(bob, org, "退货退款") == {"客户来信": ["Field 类型: <mark>退货退款</mark>"]}
    services.update_custom_field(actor=alice, field=kind, name="售后类型")
    assert found(bob, org, "退货") == {"客户来信": ["Field 售后类型: <mark>退货</mark>退款"]}
    kept = [o for o in kind.options if o["name"] != "退货退款"]
    services.update_custom_field(actor=alice, field=kind, options=kept)
    assert found(bob, org, "退货") == {}


def test_deleting_a_select_field_takes_its_options_out_of_the_index(
    project, lists, alice, bob, org, kind
):
    card(project, lists, bob, "客户来信", custom_values={kind.pk: option(kind, "退货")})
    services.delete_custom_field(actor=alice, field=kind)
    assert found(bob, org, "退货") == {}


def test_reindex_writes_tags_and_options_again(project, lists, bob, org, tags, kind):
    card(
        project,
        lists,
        bob,
        "客户来信",
        tags=[tags["退款"].pk],
        custom_values={kind.pk: option(kind, "换新")},
    )
    Entry.objects.all().delete()
    call_command("reindex", stdout=io.StringIO())
    assert found(bob, org, "退款") == {"客户来信": ["Tag: <mark>退款</mark>"]}
    assert found(bob, org, "换新") == {"客户来信": ["Field 类型: <mark>换新</mark>"]}


def test_outsiders_never_find_others_cards_by_tag(
    project, lists, alice, bob, carol, mallory, org, other_org, tags
):
    secret = services.create_project(
        actor=alice, organization=org, name="财务", key="CW", lists=["待办"]
    )
    secret_tag = services.create_tag(actor=alice, project=secret, name="退款")
    services.create_task(
        actor=alice,
        project=secret,
        task_list=secret.lists.get(),
        title="对账",
        tags=[secret_tag.pk],
    )
    card(project, lists, bob, "客户来信", tags=[tags["退款"].pk])
    assert sorted(found(alice, org, "退款")) == ["客户来信", "对账"]
    assert list(found(bob, org, "退款")) == ["客户来信"]  # not a member of 财务
    assert list(found(carol, org, "退款")) == ["客户来信"]
    mine = services.create_project(actor=mallory, organization=other_org, name="店", key="DD")
    theirs = services.create_tag(actor=mallory, project=mine, name="退款")
    services.create_task(
        actor=mallory, project=mine, task_list=mine.lists.first(), title="x", tags=[theirs.pk]
    )
    assert list(found(mallory, other_org, "退款")) == ["x"]
    assert list(found(bob, org, "退款")) == ["客户来信"]


def test_the_search_page_shows_why_a_card_matched(project, lists, bob, org, client_for, tags):
    card(project, lists, bob, "客户来信", tags=[tags["退款"].pk])
    url = reverse("projects:search", args=[org.slug])
    html = client_for(bob).get(url, {"q": "退款"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert '<span class="search-reason">标签：<mark>退款</mark></span>' in html.content.decode()
    dropdown = client_for(bob).get(url, {"q": "退款", "as": "dropdown"}, HTTP_HX_REQUEST="true")
    assert "search-reason" in dropdown.content.decode()


def test_hostile_tag_and_field_names_are_escaped_in_reasons(project, lists, alice, bob, org):
    tag = services.create_tag(actor=alice, project=project, name="<b>退款</b>")
    field = services.create_custom_field(
        actor=alice,
        project=project,
        name="<i>类型</i>",
        kind="select",
        options=[{"name": "<script>退货"}],
    )
    card(
        project,
        lists,
        bob,
        "客户来信",
        tags=[tag.pk],
        custom_values={field.pk: field.options[0]["id"]},
    )
    (reasons,) = found(bob, org, "退").values()
    assert reasons == [
        "Tag: &lt;b&gt;<mark>退</mark>款&lt;/b&gt;",
        "Field &lt;i&gt;类型&lt;/i&gt;: &lt;script&gt;<mark>退</mark>货",
    ]
