"""Ranking properties a participant would notice, with the real multilingual model."""

from __future__ import annotations

import pytest

from ascnhub.engine.matching import (
    FOCUS_AREAS,
    peer_cities,
    rank_needs_for_offers,
    rank_offers,
    similar_texts,
)
from ascnhub.engine.matching.model import FOCUS_LABELS, Need
from ascnhub.engine.matching.reasons import COUNTRY_NAMES, PROBLEM_LABELS

from .sample_records import (
    AIR_NEED_TH,
    ELDERLY_NEED_ID,
    ELDERLY_SPEAKER_KO,
    FLOOD_INSURANCE_EN,
    FLOOD_NEED_VI,
    FLOOD_SENSOR_JA,
    NEEDS,
    OFFERS,
    OWN_FLOOD_OFFER,
    PM25_SENSOR_JA,
)

pytestmark = pytest.mark.engine


@pytest.fixture(scope="module")
def rankings(embedder):
    return {r.subject: r for r in rank_offers(NEEDS, OFFERS, embedder=embedder, top_k=len(OFFERS))}


def test_vietnamese_flood_warning_need_finds_japanese_flood_sensor_above_flood_insurance(rankings):
    ids = rankings[FLOOD_NEED_VI.id].ids
    assert ids[0] == FLOOD_SENSOR_JA.id
    assert ids.index(FLOOD_SENSOR_JA.id) < ids.index(FLOOD_INSURANCE_EN.id)


def test_each_need_finds_its_cross_language_solution_first(rankings):
    assert rankings[AIR_NEED_TH.id].ids[0] == PM25_SENSOR_JA.id
    assert rankings[ELDERLY_NEED_ID.id].ids[0] == ELDERLY_SPEAKER_KO.id


def test_own_organisation_is_never_suggested(rankings):
    # The city's own flood platform is the most similar text of all, and must still not appear.
    assert OWN_FLOOD_OFFER.id not in rankings[FLOOD_NEED_VI.id].ids
    # ...while other cities may be offered it.
    assert OWN_FLOOD_OFFER.id in rankings[AIR_NEED_TH.id].ids


def test_rankings_follow_input_order_are_sorted_and_bounded(embedder):
    result = rank_offers(NEEDS, OFFERS, embedder=embedder, top_k=2)
    assert [r.subject for r in result] == [n.id for n in NEEDS]
    for r in result:
        assert len(r.suggestions) == 2
        scores = [s.score for s in r.suggestions]
        assert scores == sorted(scores, reverse=True)
        assert all(0.0 < s < 1.0 for s in scores)


def test_reasons_state_only_true_facts(rankings):
    needs = {n.id: n for n in NEEDS}
    offers = {o.id: o for o in OFFERS}
    label_to_area = {v: k for k, v in FOCUS_LABELS.items()}
    name_to_code = {v: k for k, v in COUNTRY_NAMES.items()}
    for need_id, ranking in rankings.items():
        need = needs[need_id]
        for s in ranking.suggestions:
            offer = offers[s.id]
            assert 1 <= len(s.reasons) <= 3
            for reason in s.reasons:
                assert reason.isascii(), reason  # English
                if reason.startswith("shared focus area: "):
                    areas = {label_to_area[x] for x in reason.removeprefix("shared focus area: ").split(", ")}
                    assert areas <= set(need.focus_areas) & set(offer.focus_areas)
                elif reason.startswith("deployed in "):
                    code = name_to_code[reason.removeprefix("deployed in ")]
                    assert code == need.country and code in offer.deployed_in
                elif reason.startswith("same problem: "):
                    assert reason.removeprefix("same problem: ") in PROBLEM_LABELS
                else:
                    assert reason == "similar description", reason


def test_flood_pair_is_explained_by_focus_and_deployment(rankings):
    top = rankings[FLOOD_NEED_VI.id].suggestions[0]
    assert "deployed in Viet Nam" in top.reasons
    assert any(r.startswith("shared focus area: safety & security") for r in top.reasons)


def test_offers_find_their_needs(embedder):
    result = rank_needs_for_offers([FLOOD_SENSOR_JA, ELDERLY_SPEAKER_KO], NEEDS, embedder=embedder, top_k=3)
    assert [r.subject for r in result] == [FLOOD_SENSOR_JA.id, ELDERLY_SPEAKER_KO.id]
    assert result[0].ids[0] == FLOOD_NEED_VI.id
    assert result[1].ids[0] == ELDERLY_NEED_ID.id


def test_own_organisation_filter_applies_in_the_offer_direction(embedder):
    (ranking,) = rank_needs_for_offers([OWN_FLOOD_OFFER], NEEDS, embedder=embedder, top_k=3)
    assert FLOOD_NEED_VI.id not in ranking.ids


def test_peer_cities_work_on_the_same_problem_and_exclude_the_same_city(embedder):
    jakarta = Need(
        id="n-jkt-flood",
        city="Jakarta",
        country="ID",
        language="id",
        title="Sistem peringatan dini banjir berbasis sensor tinggi muka air",
        description=(
            "Kami membutuhkan sensor tinggi muka air otomatis di hulu sungai dan peringatan otomatis "
            "kepada warga."
        ),
        focus_areas=("safety_security",),
    )
    da_nang_other = Need(
        id="n-dn-flood-2",
        city="Da Nang",
        country="VN",
        language="vi",
        title="Cảnh báo ngập lụt đô thị",
        description="Thành phố cần cảm biến đo mực nước và cảnh báo ngập cho người dân.",
        focus_areas=("safety_security",),
    )
    result = {r.subject: r for r in peer_cities([*NEEDS, jakarta, da_nang_other], embedder=embedder, top_k=2)}
    peers = result[FLOOD_NEED_VI.id].ids
    assert peers[0] == jakarta.id
    assert da_nang_other.id not in peers and FLOOD_NEED_VI.id not in peers


def test_similar_texts_match_across_languages(embedder):
    cases = [
        "Kota memasang sensor PM2.5 di sekolah dan menampilkan kualitas udara secara real-time.",
        "Pemerintah kota mendigitalkan arsip tanah dan peta kadaster.",
        "都市部の河川に水位センサーを設置し、住民に洪水警報を送る取り組み。",
    ]
    (hits,) = similar_texts(
        ["A city installed river water-level sensors that send flood alerts to residents."],
        cases,
        embedder=embedder,
        top_k=2,
    )
    assert hits[0][0] == 2


def test_focus_area_constants_are_the_six_ascf_areas():
    assert len(FOCUS_AREAS) == 6 and set(FOCUS_AREAS) == set(FOCUS_LABELS)


def test_scores_do_not_depend_on_what_else_is_in_the_call(embedder, rankings):
    # The web app re-ranks one edited need against all others as the reference population.
    (alone,) = rank_offers([AIR_NEED_TH], OFFERS, embedder=embedder, top_k=len(OFFERS), reference_needs=NEEDS)
    batch = rankings[AIR_NEED_TH.id]
    assert alone.ids == batch.ids
    assert [s.score for s in alone.suggestions] == pytest.approx(
        [s.score for s in batch.suggestions], abs=1e-4
    )


def test_empty_inputs_give_empty_rankings(embedder):
    assert rank_offers([], OFFERS, embedder=embedder) == []
    (r,) = rank_offers([FLOOD_NEED_VI], [], embedder=embedder)
    assert r.suggestions == ()
    assert rank_needs_for_offers([], NEEDS, embedder=embedder) == []


def test_no_problem_label_is_guessed_from_too_few_texts(embedder):
    (r,) = rank_offers([FLOOD_NEED_VI], [FLOOD_SENSOR_JA, FLOOD_INSURANCE_EN], embedder=embedder, top_k=2)
    assert r.ids[0] == FLOOD_SENSOR_JA.id
    assert not any(reason.startswith("same problem") for s in r.suggestions for reason in s.reasons)
    assert "deployed in Viet Nam" in r.suggestions[0].reasons
