"""Bad input is refused with the file, the line and the field, and nothing is written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ascnhub.engine.matching import MatchInputError, read_needs, read_offers, read_qrels
from ascnhub.engine.matching.cli import main

pytestmark = pytest.mark.engine

NEED = {
    "id": "n1",
    "city": "Makassar",
    "country": "ID",
    "language": "id",
    "title": "Sistem peringatan dini banjir",
    "description": "Kami membutuhkan sensor tinggi muka air.",
    "focus_areas": ["safety_security"],
    "stage": "planning",
    "budget_usd": 250000,
}
OFFER = {
    "id": "o1",
    "organisation": "Mizumori KK",
    "country": "JP",
    "language": "ja",
    "title": "河川水位センサー",
    "description": "水位が基準を超えると住民に警報を送ります。",
    "focus_areas": ["safety_security"],
    "deployed_in": ["JP", "VN"],
}


def write_jsonl(path: Path, rows: list) -> Path:
    path.write_text(
        "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in rows),
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("rows", "line", "field", "words"),
    [
        ([NEED, '{"id": "n2", "city": '], 2, None, "invalid JSON"),
        ([NEED, {k: v for k, v in NEED.items() if k != "id"}], 2, "id", "missing"),
        ([NEED, {**NEED, "city": "Jakarta"}], 2, "id", "duplicate id 'n1' (first on line 1)"),
        (
            [{**NEED, "focus_areas": ["smart_parking"]}],
            1,
            "focus_areas",
            "unknown focus area 'smart_parking'",
        ),
        ([NEED, NEED | {"id": "n2", "description": "   "}], 2, "description", "empty"),
        ([NEED | {"title": ""}], 1, "title", "empty"),
        ([NEED | {"budget_usd": "lots"}], 1, "budget_usd", "non-negative number"),
        ([NEED | {"stage": "dreaming"}], 1, "stage", "unknown stage"),
        (["[1, 2]"], 1, None, "expected a JSON object"),
    ],
)
def test_bad_needs_name_file_line_and_field(tmp_path, rows, line, field, words):
    path = write_jsonl(tmp_path / "needs.jsonl", rows)
    with pytest.raises(MatchInputError) as info:
        read_needs(path)
    err = info.value
    assert (err.path, err.line, err.field) == (str(path), line, field)
    assert words in str(err)
    assert str(err).startswith(f"{path}:{line}")


def test_bad_offer_fields_are_named(tmp_path):
    path = write_jsonl(tmp_path / "offers.jsonl", [OFFER, OFFER | {"id": "o2", "deployed_in": "VN"}])
    with pytest.raises(MatchInputError, match=r"offers.jsonl:2: field 'deployed_in': expected a list"):
        read_offers(path)


def test_qrels_with_unknown_ids_are_refused(tmp_path):
    path = write_jsonl(tmp_path / "qrels.jsonl", [{"need": "n1", "offer": "o9", "grade": 2}])
    with pytest.raises(MatchInputError, match=r"qrels.jsonl:1: field 'offer': unknown offer id 'o9'"):
        read_qrels(path, need_ids=["n1"], offer_ids=["o1"])


def test_blank_lines_are_skipped_and_line_numbers_stay_true(tmp_path):
    path = tmp_path / "needs.jsonl"
    path.write_text(json.dumps(NEED) + "\n\n" + json.dumps({**NEED, "id": "n1"}) + "\n", encoding="utf-8")
    with pytest.raises(MatchInputError) as info:
        read_needs(path)
    assert info.value.line == 3


def test_cli_refuses_bad_input_and_writes_nothing(tmp_path, capsys):
    needs = write_jsonl(tmp_path / "needs.jsonl", [NEED, {**NEED, "id": "n2", "focus_areas": ["parks"]}])
    offers = write_jsonl(tmp_path / "offers.jsonl", [OFFER])
    out = tmp_path / "ranked.jsonl"
    status = main(
        [
            "rank",
            "--needs",
            str(needs),
            "--offers",
            str(offers),
            "--out",
            str(out),
            "--cache-dir",
            str(tmp_path / "cache"),
        ]
    )
    assert status != 0
    assert not out.exists()
    assert f"{needs}:2: field 'focus_areas': unknown focus area 'parks'" in capsys.readouterr().err


def test_cli_keeps_an_existing_output_untouched_on_bad_input(tmp_path):
    needs = write_jsonl(tmp_path / "needs.jsonl", [NEED])
    offers = write_jsonl(tmp_path / "offers.jsonl", [OFFER, OFFER])  # duplicate id
    out = tmp_path / "ranked.jsonl"
    out.write_text("previous run\n")
    args = ["rank", "--needs", str(needs), "--offers", str(offers), "--out", str(out), "--no-cache"]
    assert main(args) == 2
    assert out.read_text() == "previous run\n"
