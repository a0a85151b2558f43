"""Search benchmark: N entries of Chinese shop texts in one organization, `search()` in-process.

    .venv/bin/python bench/search.py                       # 100,000 entries on SQLite
    .venv/bin/python bench/search.py --database-url postgres://postgres@127.0.0.1:5432/postgres

Steps: a temporary data directory (BATON_DATA_DIR), `baton migrate`, then in a subprocess with the
same environment: the entries are generated from word lists with a fixed random seed (after-sales
tickets, campaign tasks of which a few have long plans, comments, subtasks, custom fields; one in
eight in English; one in ten carries the tag 返现, a word found nowhere else) and indexed with
`baton.search.services.index_entries` (timed: `index_rate_per_s`), plus a smaller organization
beside them; `ANALYZE` (PostgreSQL: `VACUUM ANALYZE`, as autovacuum would); then `search()` is
called in-process, as a view would call it, for several kinds of query, each a few different
queries in turn (`common_two_char`: 返现, which 10% of the entries match).
Prints one JSON line.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from board import CHECKOUT, fresh_site, ms, percentile, run

# The Chinese text uses full-width punctuation, as Chinese text should.
# ruff: noqa: RUF001

ORG, OTHER_ORG = 1, 2
SURNAMES = "张王李赵刘陈杨黄周吴徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余"
GIVEN = "伟芳娜敏静丽强磊洋艳勇军杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕兰凤洁梅琳素云莲真"
PRODUCTS = [
    "保温杯",
    "连衣裙",
    "羽绒服",
    "蓝牙耳机",
    "电饭煲",
    "面膜",
    "儿童书包",
    "运动鞋",
    "床上四件套",
    "空气炸锅",
    "口红",
    "行李箱",
    "手机壳",
    "猫粮",
    "咖啡豆",
    "牛仔裤",
    "加湿器",
    "洗发水",
    "婴儿湿巾",
    "茶叶礼盒",
]
PROBLEMS = [
    "申请退款处理中",
    "商品质量问题：{p}漏水",
    "七天无理由退换货",
    "物流显示签收但未收到",
    "发错颜色，要求换货",
    "少发赠品",
    "尺码不符申请换货",
    "外包装破损",
    "下单三天未发货",
    "催促发货",
    "要求开具增值税发票",
    "优惠券未生效，要求补差价",
    "收到商品与描述不符",
    "{p}有异味",
    "{p}使用一周后损坏",
    "快递丢件，申请补发",
    "价保申请：降价后要求退差价",
    "拒收后退款未到账",
]
CAMPAIGNS = [
    "双十一大促主会场页面设计",
    "618预售定金膨胀方案",
    "直播间福袋抽奖规则",
    "{p}新品上市推广海报",
    "七夕礼盒详情页文案",
    "年货节满减活动报名",
    "会员日积分兑换规则",
    "{p}主图视频拍摄",
    "聚划算坑位费用核对",
    "店铺首页改版",
    "达人带货合作名单",
    "{p}库存盘点与补货计划",
]
SENTENCES = [
    "客户反馈{p}收到时已经破损，要求全额退款。",
    "已联系买家，同意退款 ¥{n}，等待财务审核。",
    "仓库已补发，快递单号SF{sf}。",
    "买家上传了照片，{p}确实存在质量问题。",
    "按平台规则处理，运费由买家承担。",
    "请客服在24小时内回复买家，避免差评。",
    "活动期间满{a}减{b}，可与店铺优惠券叠加。",
    "预计{m}月{d}日前完成，设计稿需要运营确认。",
    "主图尺寸800x800，详情页宽度750像素。",
    "退货地址：浙江省杭州市余杭区仓前街道{n}号。",
    "买家旺旺{ww}多次催促，情绪激动。",
    "质检报告显示缝线质量不合格，需要联系供应商。",
    "直播预告已发布，预约人数{n}。",
    "价格以活动页面为准，不接受价保。",
    "已提交平台介入，等待小二处理结果。",
]
ENGLISH_TITLES = [
    "Refund requested for order {o}",
    "Wrong size, customer wants an exchange",
    "Campaign banner review",
    "Invoice request from buyer {ww}",
    "Damaged package on delivery",
    "Live stream coupon not working",
    "Supplier quality report for {pe}",
    "Restock plan before Double 11",
]
ENGLISH_BODIES = [
    "The customer wants a full refund and sent photos of the {pe}.",
    "Please reply within 24 hours to avoid a bad review.",
    "Tracking number SF{sf}, shipped from the Hangzhou warehouse.",
    "Coupon code CP-{n} was rejected at checkout.",
    "",
]
ENGLISH_PRODUCTS = ["thermos", "dress", "earbuds", "rice cooker", "backpack", "sneakers"]
COMMENTS = [
    "已联系买家，同意退款 ¥{n}。",
    "仓库已补发，快递单号SF{sf}",
    "买家同意换货，已发退货地址",
    "{name}：这个订单需要加急处理",
    "已提交平台介入",
    "供应商回复下周到货",
    "Approved, refund issued.",
    "Waiting for the buyer's reply.",
]
SUBTASKS = ["核对订单{o}的支付记录", "联系快递公司核实", "上传质检照片", "确认退款金额", "更新库存"]

TWO_CHAR = ["退款", "漏水", "发票", "物流", "换货", "破损", "直播", "补发"]
FOUR_CHAR = ["商品质量", "全额退款", "联系买家", "七天无理", "详情页文", "快递单号"]
LATIN = ["refund", "exchange", "coupon", "invoice", "warehouse", "photos"]
# A word in exactly one entry in ten, as a tag (a label) and nowhere else: the common-word case.
COMMON = "返现"
COMMON_EVERY = 10


def order_number(rng: random.Random) -> str:
    return f"2026{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 99999):05d}"


def fill(template: str, rng: random.Random) -> str:
    values = {
        "p": rng.choice(PRODUCTS),
        "pe": rng.choice(ENGLISH_PRODUCTS),
        "n": rng.randint(10, 9999),
        "sf": rng.randint(10**11, 10**12 - 1),
        "a": rng.choice([199, 299, 399]),
        "b": rng.choice([20, 40, 60]),
        "m": rng.randint(1, 12),
        "d": rng.randint(1, 28),
        "ww": f"{rng.choice(['buyer', 'tb', 'xiaomei', 'zhangwei', 'happy'])}{rng.randint(1, 999)}",
        "o": order_number(rng),
        "name": rng.choice(SURNAMES) + rng.choice(GIVEN),
    }
    return template.format(**values)


def generate(count: int, organization_id: int, first_object: int, rng: random.Random):
    """`count` rows for index_entries: tasks, and comments, subtasks and fields of them."""
    projects = [organization_id * 100 + i for i in range(12)]
    kinds = ["task"] * 6 + ["comment"] * 3 + ["subtask", "field"]
    numbers = dict.fromkeys(projects, 0)
    for object_id in range(first_object, first_object + count):
        project = rng.choice(projects)
        kind = rng.choice(kinds)
        if kind == "task" or numbers[project] == 0:
            kind = "task"
            numbers[project] += 1
            number = numbers[project]
        else:
            number = rng.randint(1, numbers[project])
        reference = f"P{project % 100}-{number}"
        english = rng.random() < 0.125
        if kind == "task":
            if english:
                title = fill(rng.choice(ENGLISH_TITLES), rng)
                body = fill(rng.choice(ENGLISH_BODIES), rng)
            elif project % 2:
                title = fill(rng.choice(CAMPAIGNS), rng)
                # One campaign task in ten has a long plan (about 1,000 to 4,000 characters).
                sentences = rng.randint(40, 150) if rng.random() < 0.1 else rng.randint(1, 4)
                body = "".join(fill(rng.choice(SENTENCES), rng) for _ in range(sentences))
            else:
                name = rng.choice(SURNAMES) + rng.choice(GIVEN)
                problem = fill(rng.choice(PROBLEMS), rng)
                title = f"订单号{order_number(rng)} 客户{name} {problem}"
                body = "".join(fill(rng.choice(SENTENCES), rng) for _ in range(rng.randint(1, 3)))
        elif kind == "comment":
            title, body = "", fill(rng.choice(COMMENTS), rng)
        elif kind == "subtask":
            title, body = fill(rng.choice(SUBTASKS), rng), ""
        else:
            title, body = "", f"活动编码：{rng.choice(['DOUBLE11', 'SALE618', 'QIXI'])}-{number}"
        yield {
            "kind": kind,
            "object_id": object_id,
            "organization_id": organization_id,
            "project_id": project,
            "reference": reference,
            "title": title,
            "body": body,
            # Not drawn from `rng`, so the other texts stay those of earlier runs.
            "labels": [("tag", COMMON)] if object_id % COMMON_EVERY == 0 else [],
        }


# ---------------------------------------------------------------- in the subprocess


def measure(entries: int, other: int, rounds: int, seed: int) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baton.settings")
    django.setup()
    from django.db import connection

    from baton.search.services import index_entries, search

    rng = random.Random(seed)
    rows = list(generate(entries, ORG, 1, rng))
    start = time.perf_counter()
    index_entries(rows)
    index_seconds = time.perf_counter() - start
    index_entries(generate(other, OTHER_ORG, entries + 1, rng))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")

    # Digit fragments: six digits out of order numbers that are in the index.
    numbers = [r["title"][3:16] for r in rows if r["title"].startswith("订单号")]
    digits = [n[i : i + 6] for n in rng.sample(numbers, 6) for i in [rng.randint(0, 7)]]

    figures: dict = {"entries": entries, "db": connection.vendor.replace("postgresql", "postgres")}
    figures["index_rate_per_s"] = round(entries / index_seconds)
    # As a view would call it for a member who sees 8 of the 12 projects.
    some_projects = [ORG * 100 + i for i in range(8)]
    for name, queries, project_ids in [
        ("two_char", TWO_CHAR, None),
        ("four_char", FOUR_CHAR, None),
        ("digits", digits, None),
        ("latin", LATIN, None),
        ("two_char_projects", TWO_CHAR, some_projects),
        ("common_two_char", [COMMON], None),
    ]:
        for query in queries:  # warm up
            search(organization_id=ORG, project_ids=project_ids, query=query)
        times, hits = [], []
        for i in range(rounds):
            query = queries[i % len(queries)]
            start = time.perf_counter()
            found = search(organization_id=ORG, project_ids=project_ids, query=query)
            times.append(time.perf_counter() - start)
            hits.append(len(found))
        figures[f"{name}_p50_ms"] = ms(statistics.median(times))
        figures[f"{name}_p95_ms"] = ms(percentile(times, 95))
        figures[f"{name}_min_hits"] = min(hits)
    figures["two_char_plan"] = plan(connection, TWO_CHAR[0])
    figures["two_char_matches"] = count_matches(connection, TWO_CHAR)
    figures["common_two_char_matches"] = count_matches(connection, [COMMON])[COMMON]
    return figures


def count_matches(connection, queries) -> dict:
    """How many entries each two-character query matches in the organization (all, uncapped)."""
    from baton.lib.segment import parse_query
    from baton.search import backends

    out = {}
    for query in queries:
        rows = backends.candidates(
            connection,
            organization_id=ORG,
            project_ids=None,
            kinds=None,
            terms=parse_query(query),
            limit=10**9,
        )
        out[query] = len(rows)
    return out


def plan(connection, query: str) -> str:
    """The query plans of the SQL that `search(query)` runs, in one line (is the index used?)."""
    from django.test.utils import CaptureQueriesContext

    from baton.search.services import search

    with CaptureQueriesContext(connection) as captured:
        search(organization_id=ORG, project_ids=None, query=query)
    explain = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    lines = []
    with connection.cursor() as cursor:
        for executed in captured:
            cursor.execute(explain + executed["sql"])
            lines.append(" / ".join(str(row[-1]).strip() for row in cursor.fetchall()))
    return " | ".join(lines)


# ---------------------------------------------------------------- in the benchmark process


def benchmark(options) -> dict:
    with fresh_site(options.database_url, prefix="baton-bench-search-") as (env, _workdir):
        output = run(
            [
                str(Path(__file__).resolve()),
                "--measure-only",
                "--entries",
                str(options.entries),
                "--other",
                str(options.other),
                "--rounds",
                str(options.rounds),
                "--seed",
                str(options.seed),
            ],
            env,
            timeout=3600,
        )
        return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=100_000, help="entries in the organization")
    parser.add_argument("--other", type=int, default=5_000, help="entries in another one")
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL server URL, e.g. postgres://postgres@127.0.0.1:5432/postgres (a "
        "throwaway database is created on it and dropped afterwards); SQLite when omitted",
    )
    parser.add_argument("--rounds", type=int, default=200, help="searches per kind of query")
    parser.add_argument("--seed", type=int, default=1, help="random seed")
    parser.add_argument("--measure-only", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.entries < 1:
        parser.error("--entries must be at least 1")
    if options.measure_only:
        sys.path.insert(0, str(CHECKOUT))
        figures = measure(options.entries, options.other, options.rounds, options.seed)
        print(json.dumps(figures, ensure_ascii=False))
        return
    print(json.dumps(benchmark(options), ensure_ascii=False))


if __name__ == "__main__":
    main()
