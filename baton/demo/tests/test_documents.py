"""The demo workspace's 客服话术 folder: four scripts, several versions each, followers."""

from baton.documents import queries
from baton.documents.models import Document, DocumentFollower, DocumentTaskLink, Folder


def test_the_scripts_folder_has_four_scripts_with_history_and_followers(demo):
    org = demo["organization"]
    folder = Folder.objects.get(organization=org, name="客服话术")
    scripts = Document.objects.filter(folder=folder)
    assert set(scripts.values_list("title", flat=True)) == {
        "售前咨询",
        "售后退换货",
        "物流查询",
        "大促活动说明",
    }
    after_sales = scripts.get(title="售后退换货")
    assert after_sales.version == 4
    history = queries.history(after_sales)
    assert [entry["note"] for entry in history][:3] == ["", "补充退款到账时间", "退货改为退换货"]
    assert {entry["author__name"] for entry in history} == {"周婷", "刘洋"}
    _before, _after, diff = queries.compare(after_sales, 1, 2)
    assert any("<ins>换</ins>" in row.new_html for row in diff.rows)
    followers = set(
        DocumentFollower.objects.filter(document=after_sales).values_list("user__name", flat=True)
    )
    assert {"周婷", "吴昊", "王晓明"} <= followers


def test_the_logistics_script_links_an_after_sales_ticket(demo):
    logistics = Document.objects.get(organization=demo["organization"], title="物流查询")
    link = DocumentTaskLink.objects.get(document=logistics)
    assert (link.task.project.key, link.task.number) == ("SH", 3)
