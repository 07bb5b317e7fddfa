"""Short English reasons for a suggestion, each one true of the pair.

Facts come from the records themselves (a shared focus area, the need's country among the offer's
deployments, a stated stage or interest), so they are true by construction. "The problem in a few
words" needs an English label for texts written in any language: the texts are compared with a fixed
list of English problem labels, and a label is only stated when it is the *closest* label to the need
and to the offer independently, so it describes both sides rather than one of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .embedder import Embedder
from .model import FOCUS_LABELS, Need, Offer

#: English names of the countries most likely to appear; unknown codes are shown as the code.
COUNTRY_NAMES: dict[str, str] = {
    "BN": "Brunei Darussalam",
    "KH": "Cambodia",
    "ID": "Indonesia",
    "LA": "Lao PDR",
    "MY": "Malaysia",
    "MM": "Myanmar",
    "PH": "the Philippines",
    "SG": "Singapore",
    "TH": "Thailand",
    "VN": "Viet Nam",
    "TL": "Timor-Leste",
    "JP": "Japan",
    "KR": "Korea",
    "CN": "China",
    "IN": "India",
    "AU": "Australia",
    "MN": "Mongolia",
    "US": "the United States",
    "GB": "the United Kingdom",
    "FR": "France",
    "DE": "Germany",
}

#: Generic smart-city problem labels (written for the ASEAN Smart Cities Framework's focus areas, not
#: for any benchmark item). Used only to phrase reasons, never to rank.
PROBLEM_LABELS: tuple[str, ...] = (
    # safety & security
    "flood early warning",
    "river water-level monitoring",
    "disaster alerts to residents",
    "evacuation centre management",
    "CCTV video analytics for public safety",
    "traffic law enforcement",
    "emergency response coordination",
    "landslide and slope monitoring",
    "fire detection",
    "flood risk insurance",
    "earthquake preparedness",
    # quality environment
    "air quality monitoring",
    "solid waste collection",
    "waste-to-energy",
    "landfill gas recovery",
    "wastewater treatment",
    "drinking water supply",
    "water leak detection",
    "urban heat mitigation",
    "rooftop solar power",
    "energy efficiency in buildings",
    "recycling and circular economy",
    "urban greening",
    "noise monitoring",
    "climate change adaptation",
    # built infrastructure
    "traffic signal control",
    "traffic counting and surveys",
    "public transport ticketing",
    "bus tracking and passenger information",
    "electric vehicle charging",
    "smart street lighting",
    "parking management",
    "digital twin and 3D city model",
    "land registry and cadastre",
    "port and logistics congestion",
    "road maintenance",
    "building permits",
    "urban planning",
    # health & well-being
    "telemedicine",
    "elderly care and monitoring",
    "disease outbreak surveillance",
    "mosquito and vector control",
    "hospital operations",
    "mental health support",
    "health records",
    "nutrition and food safety",
    # civic & social
    "citizen issue reporting",
    "citizen services chatbot",
    "e-government licensing",
    "document digitisation",
    "crowd and visitor flow management",
    "tourism information",
    "digital skills training",
    "education technology",
    "open data",
    "digital identity",
    "public participation",
    # industry & innovation
    "digital payments for small businesses",
    "cold chain for farmers",
    "smart agriculture and irrigation",
    "startup and innovation support",
    "e-commerce for local products",
    "fisheries management",
)


@dataclass
class ProblemLabeller:
    """Finds, for a pair of texts, an English problem label that is nearest to both of them."""

    label_vectors: np.ndarray
    labels: tuple[str, ...] = PROBLEM_LABELS

    @classmethod
    def build(cls, embedder: Embedder, labels: Sequence[str] = PROBLEM_LABELS) -> ProblemLabeller:
        """Embed the labels once (as passages: they are answers to "what is this text about?")."""
        return cls(label_vectors=embedder.embed_passages(list(labels)), labels=tuple(labels))

    #: The winning label must beat the runner-up by this much (centred cosine) on *each* side; a near
    #: tie means the model cannot tell the problems apart, and a reason must not guess.
    margin: float = 0.005

    def nearest(self, *groups: np.ndarray) -> list[np.ndarray]:
        """Index of the closest label for each vector of each group (-1 where it is not clear-cut).

        Some labels are close to everything (E5 "hubs" such as "noise monitoring"); each label's mean
        similarity over all the given texts is subtracted first, as for offers in `scoring`. With
        fewer than 8 texts that mean is meaningless, and every label is -1.
        """
        sims = [g @ self.label_vectors.T for g in groups]
        stacked = np.vstack(sims) if sims else np.zeros((0, len(self.labels)))
        if len(stacked) < 8:
            # Too few texts to tell a hub label from a real one: state no problem label at all.
            return [np.full(len(s), -1) for s in sims]
        centre = stacked.mean(axis=0)
        out = []
        for s in sims:
            s = s - centre[None, :]
            if s.shape[1] < 2:
                out.append(np.argmax(s, axis=1))
                continue
            top2 = np.sort(s, axis=1)[:, -2:]
            clear = (top2[:, 1] - top2[:, 0]) >= self.margin
            out.append(np.where(clear, np.argmax(s, axis=1), -1))
        return out

    def shared(self, a: int, b: int) -> str | None:
        """The label both sides chose clearly, or None when they disagree or either is unclear."""
        return self.labels[a] if a == b and a >= 0 else None


def country_name(code: str) -> str:
    """English country name for an ISO code (the code itself if unknown)."""
    return COUNTRY_NAMES.get(code.upper(), code.upper())


def need_offer_reasons(need: Need, offer: Offer, problem: str | None, *, limit: int = 3) -> tuple[str, ...]:
    """Up to `limit` reasons for suggesting `offer` for `need`, most telling first."""
    reasons: list[str] = []
    if problem:
        reasons.append(f"same problem: {problem}")
    shared = [f for f in need.focus_areas if f in offer.focus_areas]
    if shared:
        reasons.append("shared focus area: " + ", ".join(FOCUS_LABELS[f] for f in shared))
    if need.country in offer.deployed_in:
        reasons.append(f"deployed in {country_name(need.country)}")
    if need.looking_for:
        met = [x for x in need.looking_for if x in offer.focus_areas or x == offer.country]
        if met:
            reasons.append("matches what the city looks for: " + ", ".join(_label(x) for x in met))
    if offer.looking_for:
        met = [x for x in offer.looking_for if x in need.focus_areas or x == need.country]
        if met:
            reasons.append("matches what the company looks for: " + ", ".join(_label(x) for x in met))
    if need.stage and need.stage in offer.stages:
        reasons.append(f"suited to the {need.stage} stage")
    if not reasons:
        # Always say something true: the semantic match is the only evidence left.
        reasons.append("similar description")
    return tuple(reasons[:limit])


def peer_reasons(need: Need, peer: Need, problem: str | None, *, limit: int = 3) -> tuple[str, ...]:
    """Reasons for pointing a city to a peer city's need."""
    reasons: list[str] = []
    if problem:
        reasons.append(f"same problem: {problem}")
    shared = [f for f in need.focus_areas if f in peer.focus_areas]
    if shared:
        reasons.append("shared focus area: " + ", ".join(FOCUS_LABELS[f] for f in shared))
    if peer.stage and peer.stage == need.stage:
        reasons.append(f"also at the {peer.stage} stage")
    elif peer.stage:
        reasons.append(f"{peer.city} is at the {peer.stage} stage")
    if not reasons:
        reasons.append("similar description")
    return tuple(reasons[:limit])


def _label(code: str) -> str:
    return FOCUS_LABELS.get(code) or country_name(code)
