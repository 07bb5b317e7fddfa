"""Reading and writing ascnhub-schedule/1 documents, and bad input naming the element."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from ascnhub.engine.scheduling import (
    Assignment,
    InstanceError,
    Result,
    ResultObjective,
    instance_from_dict,
    instance_to_dict,
    read_instance,
    read_result,
    result_from_dict,
    result_to_dict,
    write_instance,
    write_result,
)
from tests.engine.scheduling.sched_helpers import small_doc

pytestmark = pytest.mark.engine


def test_instance_round_trip(tmp_path: Path) -> None:
    inst = instance_from_dict(small_doc())
    assert instance_from_dict(instance_to_dict(inst)) == inst
    write_instance(inst, tmp_path / "i.json")
    assert read_instance(tmp_path / "i.json") == inst
    assert inst.participant_by_id["a"].home_location == "T1"
    assert inst.meeting_by_id["m5"].after == ("m1",)


def test_unknown_fields_are_ignored() -> None:
    doc = small_doc()
    doc["future_field"] = {"x": 1}
    doc["meetings"][0]["colour"] = "blue"
    assert len(instance_from_dict(doc).meetings) == 5


def test_result_round_trip(tmp_path: Path) -> None:
    res = Result(
        "small",
        "feasible",
        (Assignment("m1", "s0", "T1"),),
        ("m2",),
        ResultObjective(3, 0, 9, 0),
        {"wall_time_s": 0.1},
    )
    assert result_from_dict(result_to_dict(res)) == res
    write_result(res, tmp_path / "r.json")
    assert read_result(tmp_path / "r.json") == res
    assert json.loads((tmp_path / "r.json").read_text())["format"] == "ascnhub-schedule-result/1"


def _broken(edit) -> dict:
    doc = copy.deepcopy(small_doc())
    edit(doc)
    return doc


@pytest.mark.parametrize(
    ("edit", "element", "words"),
    [
        (
            lambda d: d["meetings"][1].update(participants=["a", "zz"]),
            "meeting m2",
            "unknown participant 'zz'",
        ),
        (lambda d: d["participants"].append({"id": "b"}), "participant b", "duplicate participant id"),
        (lambda d: d["meetings"].append({"id": "m1", "participants": ["a", "b"]}), "meeting m1", "duplicate"),
        (lambda d: d["slots"].append(dict(d["slots"][0])), "slot s0", "duplicate slot id"),
        (lambda d: d["slots"].reverse(), "slot s2", "time order"),
        (lambda d: d["slots"][1].update(start="2026-10-19T09:10:00Z"), "slot s1", "overlap"),
        (lambda d: d["slots"][0].update(end="2026-10-19T09:00:00Z"), "slot s0", "end is not after start"),
        (
            lambda d: d["participants"][1].update(home_location="T1"),
            "participant b",
            "conflicting home tables",
        ),
        (lambda d: d["participants"][1].update(home_location="V1"), "participant b", "not a table"),
        (lambda d: d["participants"][1].update(unavailable=["s9"]), "participant b", "unknown slot 's9'"),
        (lambda d: d["meetings"][0].update(weight=0), "meeting m1", "positive"),
        (lambda d: d["meetings"][0].update(fixed_slot="nope"), "meeting m1", "fixed_slot"),
        (lambda d: d["meetings"][0].update(after=["m99"]), "meeting m1", "m99"),
        (lambda d: d["meetings"][0].update(participants=["a"]), "meeting m1", "at least two"),
        (lambda d: d["locations"][0].update(kind="booth"), "location T1", "kind"),
        (lambda d: d.update(format="other/1"), "format", "ascnhub-schedule/1"),
        (lambda d: d["objective"].update(max_break_spread=-1), "objective.max_break_spread", "non-negative"),
        (
            lambda d: (
                d["slots"].__setitem__(2, {**d["slots"][2], "group": "x"})
                or d["slots"].__setitem__(3, {**d["slots"][3], "group": "day"})
            ),
            "slot s3",
            "consecutive",
        ),
    ],
)
def test_bad_instance_names_the_element(edit, element: str, words: str) -> None:
    with pytest.raises(InstanceError) as err:
        instance_from_dict(_broken(edit))
    assert err.value.element == element
    assert words in str(err.value)


def test_invalid_json_names_the_line(tmp_path: Path) -> None:
    p = tmp_path / "bad.json"
    p.write_text('{\n "format": "ascnhub-schedule/1",\n "slots": [,]\n}')
    with pytest.raises(InstanceError, match="line 3"):
        read_instance(p)
