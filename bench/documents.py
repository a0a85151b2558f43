"""Documents benchmark: one customer-service script of about 50 KB saved 500 times; its history,
a comparison of two versions and saving a version, measured over HTTP on a real server.

    .venv/bin/python bench/documents.py
    .venv/bin/python bench/documents.py --database-url postgres://postgres@127.0.0.1:5432/postgres

Steps: a temporary data directory (and throwaway PostgreSQL database), `baton migrate`, then a
seed subprocess: two people in an organization and one document of ~50 KB of Chinese Markdown,
saved `--versions` times through `save_version` (each save edits one to three lines, now and then
adds one), as a team edits a script over a year. Then `baton serve` and, over keep-alive HTTP:

- history: GET /o/<slug>/d/<id>/history (every version: author, time, note, lines changed);
- compare: GET …/compare?a=…&b=… for random pairs of versions (each rebuilt from storage);
- compare_far: the first version against the newest (the largest diff there is);
- save: POST …/edit, a new version from the newest one (one changed line), as the editor does.

Prints one JSON line with the p50/p95 of each, the bytes stored for all versions against the
bytes of the texts themselves, and `db`.
"""

# Chinese text uses full-width punctuation, as Chinese text should.
# ruff: noqa: RUF001

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from board import make_client, measure_get, ms, percentile, seeded_server

SECTIONS = [
    "售前咨询",
    "尺码推荐",
    "售后退换货",
    "物流查询",
    "大促活动说明",
    "发票与开票",
    "投诉安抚",
]
PHRASES = [
    "亲，您好！欢迎光临小熊猫旗舰店，很高兴为您服务～",
    "这款是我们店的爆款，面料是新疆长绒棉，亲肤透气，不起球。",
    "七天无理由退换货：商品未使用、吊牌完好、包装齐全即可申请。",
    "质量问题运费由我们承担，请拍照上传问题部位，我们马上为您处理。",
    "双11 当天付款的订单，我们会在 48 小时内按付款顺序陆续发出。",
    "物流信息 24 小时未更新时，请提供订单号，我们帮您联系快递公司核实。",
    "满 299 减 40、满 499 减 80，可以和店铺优惠券叠加使用。",
    "如对处理结果不满意，可以申请平台介入，我们会全力配合。",
]


# ---------------------------------------------------------------- in the seed subprocess


def script_text(rng: random.Random, size: int) -> str:
    """A Markdown script of about `size` bytes (UTF-8): sections with a table and numbered
    replies."""
    lines: list[str] = ["# 客服话术大全", ""]
    number = 0
    while sum(len(line.encode()) + 1 for line in lines) < size:
        section = SECTIONS[number % len(SECTIONS)]
        lines += [f"## {section}（{number // len(SECTIONS) + 1}）", ""]
        lines += ["| 场景 | 话术 |", "|---|---|"]
        lines += [f"| 场景 {i + 1} | {rng.choice(PHRASES)} |" for i in range(4)]
        lines.append("")
        lines += [
            f"{i + 1}. {rng.choice(PHRASES)}订单号示例 2026112400{rng.randrange(999):03d}。"
            for i in range(6)
        ]
        lines.append("")
        number += 1
    return "\n".join(lines)


def edited(rng: random.Random, text: str, round_: int) -> str:
    """One to three lines reworded; every tenth round a line added and another removed."""
    lines = text.split("\n")
    editable = [i for i, line in enumerate(lines) if line and not line.startswith(("#", "|"))]
    for at in rng.sample(editable, rng.randint(1, 3)):
        number = lines[at].split(".", 1)[0]
        lines[at] = f"{number}. {rng.choice(PHRASES)}（第 {round_} 次修订）"
    if round_ % 10 == 0:
        lines.pop(rng.choice(editable))
        lines.insert(rng.randrange(len(lines)), f"{rng.randrange(1, 9)}. {rng.choice(PHRASES)}")
    return "\n".join(lines)


def seed(versions: int, size: int, rng_seed: int) -> dict:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baton.settings")
    django.setup()

    from board import session_for
    from django.db import connection
    from django.db.models import Sum
    from django.db.models.functions import Length

    from baton.accounts.models import User
    from baton.documents import services
    from baton.documents.models import DocumentVersion
    from baton.orgs import services as org_services

    rng = random.Random(rng_seed)
    owner = User.objects.create_user("owner@baton.local", None, name="王芳", language="zh-hans")
    user = User.objects.create_user("bench@baton.local", None, name="周婷", language="zh-hans")
    org = org_services.create_organization(actor=owner, name="压测旗舰店")
    org_services.accept_invitation(
        actor=user, invitation=org_services.invite(actor=owner, organization=org)
    )
    text = script_text(rng, size)
    document = services.create_document(actor=owner, organization=org, title="客服话术", body=text)
    texts_bytes, save_seconds = len(text.encode()), []
    while document.version < versions:
        number = document.version + 1
        text = edited(rng, text, number)
        author = user if number % 3 else owner
        started = time.perf_counter()
        services.save_version(
            actor=author,
            document=document,
            title="客服话术",
            body=text,
            base_version=document.version,
            note=f"第 {number} 版：更新话术" if number % 5 == 0 else "",
        )
        save_seconds.append(time.perf_counter() - started)
        texts_bytes += len(text.encode())
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    stored = DocumentVersion.objects.filter(document=document).aggregate(total=Sum(Length("data")))[
        "total"
    ]
    return {
        "slug": org.slug,
        "document": document.pk,
        "version": document.version,
        "title": document.title,
        "body": document.body,
        "session": session_for(user),
        "text_bytes": len(document.body.encode()),
        "all_texts_bytes": texts_bytes,
        "stored_bytes": stored,
        "service_save_p50_ms": ms(percentile(save_seconds, 50)),
        "db": connection.vendor.replace("postgresql", "postgres"),
    }


# ---------------------------------------------------------------- in the benchmark process


def measure_saves(client, data: dict, requests: int, csrf: str) -> dict:
    """POST the editor's form: each save changes one line of the newest version."""
    path = f"/o/{data['slug']}/d/{data['document']}/edit"
    body, version, timings = data["body"], data["version"], []
    for round_ in range(requests):
        lines = body.split("\n")
        lines[5 + round_ % 50] += "。"
        body = "\n".join(lines)
        fields = {"title": data["title"], "body": body, "base_version": version, "note": ""}
        started = time.perf_counter()
        response = client.post(path, fields, headers={"X-CSRFToken": csrf})
        timings.append(time.perf_counter() - started)
        if response.status_code not in (200, 302, 303):
            raise RuntimeError(f"POST {path} answered {response.status_code}")
        version += 1
    return {"save_p50_ms": ms(percentile(timings, 50)), "save_p95_ms": ms(percentile(timings, 95))}


def measure_pairs(client, base: str, newest: int, requests: int, rng) -> dict:
    """Compare two random versions, each pair once (nothing is cached between them)."""
    timings = []
    for _ in range(requests):
        old = rng.randrange(1, newest)
        new = rng.randrange(old + 1, newest + 1)
        started = time.perf_counter()
        response = client.get(f"{base}/compare?a={old}&b={new}")
        timings.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise RuntimeError(f"compare {old} {new} answered {response.status_code}")
    return {
        "compare_p50_ms": ms(percentile(timings, 50)),
        "compare_p95_ms": ms(percentile(timings, 95)),
    }


def benchmark(options) -> dict:
    seed_args = ["--versions", options.versions, "--size", options.size, "--seed", options.seed]
    with seeded_server(
        __file__, options.database_url, prefix="baton-bench-documents-", seed_args=seed_args
    ) as (data, server):
        rng = random.Random(options.seed)
        base = f"/o/{data['slug']}/d/{data['document']}"
        newest = data["version"]
        figures: dict = {"versions": newest, "text_bytes": data["text_bytes"]}
        csrf = "x" * 32
        with make_client(server.base, data["session"], csrf) as client:
            history = measure_get(client, f"{base}/history", options.requests)
            figures.update({f"history_{key}": value for key, value in history.items()})
            figures.update(measure_pairs(client, base, newest, options.requests, rng))
            far = measure_get(client, f"{base}/compare?a=1&b={newest}", options.requests)
            figures.update({f"compare_far_{key}": value for key, value in far.items()})
            figures.update(measure_saves(client, data, options.requests, csrf))
        figures["service_save_p50_ms"] = data["service_save_p50_ms"]
        figures["all_texts_bytes"] = data["all_texts_bytes"]
        figures["stored_bytes"] = data["stored_bytes"]
        figures["db"] = data["db"]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--versions", type=int, default=500, help="saved versions")
    parser.add_argument("--size", type=int, default=50_000, help="bytes of text (UTF-8)")
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL server URL, e.g. postgres://postgres@127.0.0.1:5432/postgres (a "
        "throwaway database is created on it and dropped afterwards); SQLite when omitted",
    )
    parser.add_argument("--requests", type=int, default=50, help="requests measured per kind")
    parser.add_argument("--seed", type=int, default=1, help="random seed")
    parser.add_argument("--seed-only", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.versions < 2:
        parser.error("--versions must be at least 2")
    if options.seed_only:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        data = seed(options.versions, options.size, options.seed)
        print(json.dumps(data, ensure_ascii=False))
        return
    print(json.dumps(benchmark(options), ensure_ascii=False))


if __name__ == "__main__":
    main()
