"""`ascnhub match rank` and `ascnhub match evaluate` through `main([...])`."""

from __future__ import annotations

import json
from dataclasses import asdict

import pytest

from ascnhub.engine.matching import SQLiteEmbeddingStore
from ascnhub.engine.matching.cli import main
from ascnhub.engine.matching.reasons import SubthemeLabeller

from .sample_records import NEEDS, OFFERS, QUEUE_APP_KO, QUEUE_NEED_TH, SALINITY_NEED_VI, SALINITY_SENSOR_JA

pytestmark = pytest.mark.engine


def _jsonl(path, records, drop=("looking_for", "stages", "min_budget_usd")):
    with open(path, "w", encoding="utf-8") as fh:
        for r in records:
            row = {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(r).items() if k not in drop}
            fh.write(json.dumps({k: v for k, v in row.items() if v is not None}, ensure_ascii=False) + "\n")
    return path


@pytest.fixture(scope="module")
def files(tmp_path_factory, embedder):
    d = tmp_path_factory.mktemp("match")
    # Seed the CLI's on-disk cache with the session's reason sub-themes: embedding them again per test
    # module would only slow the suite down (the cache itself is tested in test_matching_cache.py).
    SubthemeLabeller.build(embedder)  # embeds the sub-themes into the session cache (once per session)
    SQLiteEmbeddingStore(d / "cache" / "embeddings.sqlite3").put_many(embedder.store.items())
    needs = _jsonl(d / "needs.jsonl", NEEDS)
    offers = _jsonl(d / "offers.jsonl", OFFERS)
    qrels = d / "qrels.jsonl"
    qrels.write_text(
        json.dumps({"need": SALINITY_NEED_VI.id, "offer": SALINITY_SENSOR_JA.id, "grade": 2})
        + "\n"
        + json.dumps({"need": QUEUE_NEED_TH.id, "offer": QUEUE_APP_KO.id, "grade": 2})
        + "\n"
    )
    return {
        "dir": d,
        "needs": str(needs),
        "offers": str(offers),
        "qrels": str(qrels),
        "cache": str(d / "cache"),
    }


def test_rank_writes_one_line_per_need_in_input_order(files, capsys):
    out = files["dir"] / "ranked.jsonl"
    status = main(
        [
            "rank",
            "--needs",
            files["needs"],
            "--offers",
            files["offers"],
            "--top",
            "2",
            "--out",
            str(out),
            "--cache-dir",
            files["cache"],
        ]
    )
    assert status == 0
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["need"] for line in lines] == [n.id for n in NEEDS]
    assert all(len(line["ranking"]) == 2 for line in lines)
    assert lines[0]["ranking"][0]["offer"] == SALINITY_SENSOR_JA.id
    first = lines[0]["ranking"][0]
    assert set(first) == {"offer", "score", "reasons"} and first["reasons"]
    assert "embedding [" in capsys.readouterr().err  # the progress bar


def test_rank_to_stdout_and_second_run_embeds_nothing(files, capsys):
    args = [
        "rank",
        "--needs",
        files["needs"],
        "--offers",
        files["offers"],
        "--top",
        "1",
        "--cache-dir",
        files["cache"],
    ]
    assert main(args) == 0
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == len(NEEDS)
    assert "embedding [" not in captured.err  # everything came from the on-disk cache


def test_evaluate_prints_metrics_overall_and_by_language(files, capsys):
    status = main(
        [
            "evaluate",
            "--needs",
            files["needs"],
            "--offers",
            files["offers"],
            "--qrels",
            files["qrels"],
            "--cache-dir",
            files["cache"],
            "--json",
            "--quiet",
        ]
    )
    assert status == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"overall", "vi", "th"}
    assert result["overall"] == {"ndcg@10": 1.0, "recall@5": 1.0, "mrr": 1.0, "needs": 2}


def test_the_project_command_dispatches_to_match(files, capsys):
    from ascnhub.cli import main as ascnhub_main

    status = ascnhub_main(
        [
            "match",
            "evaluate",
            "--needs",
            files["needs"],
            "--offers",
            files["offers"],
            "--qrels",
            files["qrels"],
            "--cache-dir",
            files["cache"],
            "--quiet",
        ]
    )
    assert status == 0
    out = capsys.readouterr().out
    assert "nDCG@10" in out and "overall" in out
