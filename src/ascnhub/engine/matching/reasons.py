"""Reasons for a suggestion: structured, each true of the pair, in English, Indonesian or Japanese.

A reason is a `Reason(kind, args)`: a kind code and the specific values it is about, so that the web
app can store it and show it in the reader's language. Three sources, from the most specific:

* **The pair's own texts** (`need_offer`, `need_need`): the two titles, quoted as written, stated when
  the titles alone are close in meaning (at least `TITLE_MIN_Z` standard deviations above a typical
  pair of the batch, after the same hub correction as the scores). The claim is exactly that.
* **A general sub-theme** (`subtheme`): `SUBTHEMES` are broad sub-themes of the six ASEAN Smart
  Cities Framework focus areas, written from general knowledge of smart-city work (water and
  sanitation, urban mobility, care for older people, ...), not from any benchmark item. One is stated
  only when it is, after centring, clearly the closest sub-theme to *each* side independently.
* **The records' fields** (`focus_area`, `deployed`, `city_looks_for`, `company_looks_for`, `stage`,
  `same_stage`, `peer_stage`): true by construction. A shared focus area is said only when neither of
  the more specific reasons above holds, since a sub-theme already names its focus area.

Addressed to one side of a pair (`your_offer`, `your_need`: the viewer's own item, the other side's
name and its item), for an app that matched item by item and knows whose page it is.

When nothing else is true, the reason is `similar` ("similar description"): the semantic match is
then the only evidence. Renderers are plain dicts (the engine has no Django and no gettext).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .embedder import Embedder
from .model import FOCUS_LABELS, Need, Offer

#: Languages reasons can be rendered in (the UI's first three).
LANGUAGES: tuple[str, ...] = ("en", "id", "ja")

#: Reason kinds and their templates. `{a}`, `{b}`: the kind's arguments after rendering (names,
#: labels); phrases from the texts are inserted as written.
TEMPLATES: dict[str, dict[str, str]] = {
    "en": {
        "need_offer": "close in meaning: “{need}” ↔ “{offer}”",
        "need_need": "close in meaning: “{need}” ↔ “{peer}”",
        "subtheme": "same sub-theme: {subtheme} ({area})",
        "focus_area": "shared focus area: {areas}",
        "deployed": "deployed in {country}",
        "city_looks_for": "matches what the city looks for: {items}",
        "company_looks_for": "matches what the company looks for: {items}",
        "stage": "suited to the {stage} stage",
        "same_stage": "also at the {stage} stage",
        "peer_stage": "{city} is at the {stage} stage",
        "similar": "similar description",
        "your_offer": "your offer “{mine}” ↔ {name}’s need “{theirs}”",
        "your_need": "your need “{mine}” ↔ {name}’s offer “{theirs}”",
    },
    "id": {
        "need_offer": "maknanya dekat: “{need}” ↔ “{offer}”",
        "need_need": "maknanya dekat: “{need}” ↔ “{peer}”",
        "subtheme": "subtema yang sama: {subtheme} ({area})",
        "focus_area": "bidang fokus yang sama: {areas}",
        "deployed": "sudah diterapkan di {country}",
        "city_looks_for": "sesuai dengan yang dicari kota: {items}",
        "company_looks_for": "sesuai dengan yang dicari perusahaan: {items}",
        "stage": "cocok untuk tahap {stage}",
        "same_stage": "juga pada tahap {stage}",
        "peer_stage": "{city} berada pada tahap {stage}",
        "similar": "deskripsi serupa",
        "your_offer": "tawaran Anda “{mine}” ↔ kebutuhan {name} “{theirs}”",
        "your_need": "kebutuhan Anda “{mine}” ↔ tawaran {name} “{theirs}”",
    },
    "ja": {
        "need_offer": "意味が近い:「{need}」↔「{offer}」",
        "need_need": "意味が近い:「{need}」↔「{peer}」",
        "subtheme": "同じサブテーマ:{subtheme}({area})",
        "focus_area": "共通の重点分野:{areas}",
        "deployed": "{country}で導入実績あり",
        "city_looks_for": "都市の希望に合致:{items}",
        "company_looks_for": "企業の希望に合致:{items}",
        "stage": "{stage}段階に適合",
        "same_stage": "同じく{stage}段階",
        "peer_stage": "{city}は{stage}段階",
        "similar": "説明が類似",
        "your_offer": "あなたの提供「{mine}」↔ {name}のニーズ「{theirs}」",
        "your_need": "あなたのニーズ「{mine}」↔ {name}の提供「{theirs}」",
    },
}

#: The six ASCF focus areas by language (English: `model.FOCUS_LABELS`).
FOCUS_NAMES: dict[str, dict[str, str]] = {
    "en": dict(FOCUS_LABELS),
    "id": {
        "civic_social": "sipil & sosial",
        "health_wellbeing": "kesehatan & kesejahteraan",
        "safety_security": "keselamatan & keamanan",
        "quality_environment": "kualitas lingkungan",
        "built_infrastructure": "infrastruktur terbangun",
        "industry_innovation": "industri & inovasi",
    },
    "ja": {
        "civic_social": "市民・社会",
        "health_wellbeing": "健康・福祉",
        "safety_security": "安全・安心",
        "quality_environment": "環境の質",
        "built_infrastructure": "都市インフラ",
        "industry_innovation": "産業・イノベーション",
    },
}

STAGE_NAMES: dict[str, dict[str, str]] = {
    "en": {
        "idea": "idea",
        "planning": "planning",
        "procurement": "procurement",
        "implementation": "implementation",
    },
    "id": {
        "idea": "ide",
        "planning": "perencanaan",
        "procurement": "pengadaan",
        "implementation": "pelaksanaan",
    },
    "ja": {"idea": "構想", "planning": "計画", "procurement": "調達", "implementation": "実施"},
}

#: Names of the countries most likely to appear; unknown codes are shown as the code.
COUNTRY_NAMES_BY_LANGUAGE: dict[str, dict[str, str]] = {
    "en": {
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
    },
    "id": {
        "BN": "Brunei Darussalam",
        "KH": "Kamboja",
        "ID": "Indonesia",
        "LA": "Laos",
        "MY": "Malaysia",
        "MM": "Myanmar",
        "PH": "Filipina",
        "SG": "Singapura",
        "TH": "Thailand",
        "VN": "Vietnam",
        "TL": "Timor-Leste",
        "JP": "Jepang",
        "KR": "Korea",
        "CN": "Tiongkok",
        "IN": "India",
        "AU": "Australia",
        "MN": "Mongolia",
        "US": "Amerika Serikat",
        "GB": "Britania Raya",
        "FR": "Prancis",
        "DE": "Jerman",
    },
    "ja": {
        "BN": "ブルネイ",
        "KH": "カンボジア",
        "ID": "インドネシア",
        "LA": "ラオス",
        "MY": "マレーシア",
        "MM": "ミャンマー",
        "PH": "フィリピン",
        "SG": "シンガポール",
        "TH": "タイ",
        "VN": "ベトナム",
        "TL": "東ティモール",
        "JP": "日本",
        "KR": "韓国",
        "CN": "中国",
        "IN": "インド",
        "AU": "オーストラリア",
        "MN": "モンゴル",
        "US": "米国",
        "GB": "英国",
        "FR": "フランス",
        "DE": "ドイツ",
    },
}
#: English country names (kept under this name for existing callers).
COUNTRY_NAMES: dict[str, str] = COUNTRY_NAMES_BY_LANGUAGE["en"]


@dataclass(frozen=True)
class Subtheme:
    """A broad sub-theme of one ASCF focus area, named in each reason language."""

    code: str
    area: str
    names: dict[str, str]


def _subtheme(code: str, area: str, en: str, id_: str, ja: str) -> Subtheme:
    return Subtheme(code, area, {"en": en, "id": id_, "ja": ja})


#: Broad sub-themes of the six focus areas, written from general knowledge of smart-city work (the
#: kinds of programme a city or a ministry runs under each area), not from any benchmark item. They
#: are deliberately coarse: a sub-theme says what field a pair is in, and the pair's own titles (the
#: `need_offer` reason) say what exactly. Used only to phrase reasons, never to rank.
SUBTHEMES: tuple[Subtheme, ...] = (
    _subtheme(
        "e_services",
        "civic_social",
        "digital public services",
        "layanan publik digital",
        "デジタル行政サービス",
    ),
    _subtheme(
        "participation",
        "civic_social",
        "citizen engagement",
        "keterlibatan warga",
        "市民参加",
    ),
    _subtheme(
        "education",
        "civic_social",
        "education and digital skills",
        "pendidikan dan keterampilan digital",
        "教育・デジタルスキル",
    ),
    _subtheme(
        "culture_tourism",
        "civic_social",
        "culture, heritage and tourism",
        "budaya, warisan, dan pariwisata",
        "文化・遺産・観光",
    ),
    _subtheme(
        "inclusion",
        "civic_social",
        "social inclusion and housing",
        "inklusi sosial dan perumahan",
        "社会的包摂・住宅",
    ),
    _subtheme(
        "healthcare",
        "health_wellbeing",
        "access to health care",
        "akses layanan kesehatan",
        "医療へのアクセス",
    ),
    _subtheme(
        "public_health",
        "health_wellbeing",
        "public health and disease prevention",
        "kesehatan masyarakat dan pencegahan penyakit",
        "公衆衛生・疾病予防",
    ),
    _subtheme(
        "care",
        "health_wellbeing",
        "care for older people and people with disabilities",
        "perawatan lansia dan penyandang disabilitas",
        "高齢者・障害者のケア",
    ),
    _subtheme(
        "food",
        "health_wellbeing",
        "food security and nutrition",
        "ketahanan pangan dan gizi",
        "食料安全保障・栄養",
    ),
    _subtheme(
        "disaster_risk",
        "safety_security",
        "disaster risk reduction",
        "pengurangan risiko bencana",
        "防災・減災",
    ),
    _subtheme(
        "emergency",
        "safety_security",
        "emergency response",
        "tanggap darurat",
        "緊急対応",
    ),
    _subtheme(
        "public_safety",
        "safety_security",
        "public safety and crime prevention",
        "keamanan publik dan pencegahan kejahatan",
        "治安・防犯",
    ),
    _subtheme(
        "cybersecurity",
        "safety_security",
        "cybersecurity and data protection",
        "keamanan siber dan pelindungan data",
        "サイバーセキュリティ・データ保護",
    ),
    _subtheme(
        "road_safety",
        "safety_security",
        "road safety",
        "keselamatan jalan",
        "交通安全",
    ),
    _subtheme(
        "water",
        "quality_environment",
        "water supply and sanitation",
        "air bersih dan sanitasi",
        "上下水道・衛生",
    ),
    _subtheme(
        "waste",
        "quality_environment",
        "waste management and recycling",
        "pengelolaan sampah dan daur ulang",
        "廃棄物管理・リサイクル",
    ),
    _subtheme(
        "air_climate",
        "quality_environment",
        "air quality and climate action",
        "kualitas udara dan aksi iklim",
        "大気質・気候変動対策",
    ),
    _subtheme(
        "energy",
        "quality_environment",
        "clean energy and energy efficiency",
        "energi bersih dan efisiensi energi",
        "クリーンエネルギー・省エネルギー",
    ),
    _subtheme(
        "green_space",
        "quality_environment",
        "parks, green space and biodiversity",
        "taman, ruang hijau, dan keanekaragaman hayati",
        "公園・緑地・生物多様性",
    ),
    _subtheme(
        "mobility",
        "built_infrastructure",
        "urban mobility and public transport",
        "mobilitas perkotaan dan transportasi umum",
        "都市交通・公共交通",
    ),
    _subtheme(
        "traffic",
        "built_infrastructure",
        "traffic management",
        "manajemen lalu lintas",
        "交通管理",
    ),
    _subtheme(
        "utilities",
        "built_infrastructure",
        "utilities and infrastructure maintenance",
        "utilitas dan pemeliharaan infrastruktur",
        "公共インフラの維持管理",
    ),
    _subtheme(
        "planning",
        "built_infrastructure",
        "urban planning and land management",
        "perencanaan kota dan pengelolaan lahan",
        "都市計画・土地管理",
    ),
    _subtheme(
        "buildings",
        "built_infrastructure",
        "buildings and construction",
        "bangunan dan konstruksi",
        "建築・建設",
    ),
    _subtheme(
        "connectivity",
        "built_infrastructure",
        "digital connectivity and data platforms",
        "konektivitas digital dan platform data",
        "デジタル接続・データ基盤",
    ),
    _subtheme(
        "business",
        "industry_innovation",
        "small businesses and digital commerce",
        "usaha kecil dan perdagangan digital",
        "中小企業・デジタル商取引",
    ),
    _subtheme(
        "agriculture",
        "industry_innovation",
        "agriculture and fisheries",
        "pertanian dan perikanan",
        "農業・漁業",
    ),
    _subtheme(
        "innovation",
        "industry_innovation",
        "innovation, start-ups and research",
        "inovasi, perusahaan rintisan, dan riset",
        "イノベーション・スタートアップ・研究",
    ),
    _subtheme(
        "logistics",
        "industry_innovation",
        "logistics and trade",
        "logistik dan perdagangan",
        "物流・貿易",
    ),
    _subtheme(
        "jobs",
        "industry_innovation",
        "jobs and workforce skills",
        "lapangan kerja dan keterampilan tenaga kerja",
        "雇用・人材育成",
    ),
)
SUBTHEMES_BY_CODE: dict[str, Subtheme] = {s.code: s for s in SUBTHEMES}

#: Titles are quoted up to this many characters (a longer one is cut at a word and ends with "…").
PHRASE_CHARS = 80
#: Titles must be this many standard deviations closer than a typical pair of the batch (after hub
#: correction) for "close in meaning" to be said.
TITLE_MIN_Z = 2.5
#: Fewer texts than this on a side and neither titles nor sub-themes are compared: with so few the
#: centring that tells a generally close text from a specifically close one is meaningless.
MIN_TEXTS = 8


@dataclass(frozen=True)
class Reason:
    """One reason: a kind code (a key of `TEMPLATES[lang]`) and the values it is about.

    `args` hold codes (focus areas, countries, stages, sub-themes) or phrases quoted from the texts;
    `text(language)` renders them. `as_dict()` / `from_dict()` store a reason as JSON.
    """

    kind: str
    args: tuple[str, ...] = ()

    def text(self, language: str = "en") -> str:
        """The reason in `language` (`en`, `id` or `ja`; anything else falls back to English)."""
        return render(self, language)

    def as_dict(self) -> dict[str, Any]:
        """JSON form: {"kind": ..., "args": [...]}."""
        return {"kind": self.kind, "args": list(self.args)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Reason:
        """Inverse of `as_dict`; an unknown kind is refused with the kind named."""
        kind = data.get("kind")
        if kind not in TEMPLATES["en"]:
            raise ValueError(f"unknown reason kind {kind!r}")
        return cls(kind=str(kind), args=tuple(str(a) for a in data.get("args", ())))


def render(reason: Reason, language: str = "en") -> str:
    """`reason` as a sentence fragment in `language` (English when the language has no renderer)."""
    lang = language.split("-")[0].split("_")[0].lower()
    lang = lang if lang in TEMPLATES else "en"
    template = TEMPLATES[lang][reason.kind]
    a = reason.args
    if reason.kind == "need_offer":
        return template.format(offer=a[0], need=a[1])
    if reason.kind == "need_need":
        return template.format(peer=a[0], need=a[1])
    if reason.kind == "subtheme":
        sub = SUBTHEMES_BY_CODE[a[0]]
        return template.format(subtheme=sub.names[lang], area=FOCUS_NAMES[lang][sub.area])
    if reason.kind == "focus_area":
        return template.format(areas=", ".join(FOCUS_NAMES[lang][x] for x in a))
    if reason.kind == "deployed":
        return template.format(country=country_name(a[0], lang))
    if reason.kind in ("city_looks_for", "company_looks_for"):
        return template.format(items=", ".join(_label(x, lang) for x in a))
    if reason.kind in ("stage", "same_stage"):
        return template.format(stage=STAGE_NAMES[lang].get(a[0], a[0]))
    if reason.kind == "peer_stage":
        return template.format(city=a[0], stage=STAGE_NAMES[lang].get(a[1], a[1]))
    if reason.kind in ("your_offer", "your_need"):
        return template.format(mine=a[0], name=a[1], theirs=a[2])
    return template


def country_name(code: str, language: str = "en") -> str:
    """Country name for an ISO code in `language` (the code itself if unknown)."""
    names = COUNTRY_NAMES_BY_LANGUAGE.get(language, COUNTRY_NAMES)
    return names.get(code.upper(), code.upper())


def _label(code: str, language: str) -> str:
    return FOCUS_NAMES[language].get(code) or country_name(code, language)


def phrase(title: str, limit: int = PHRASE_CHARS) -> str:
    """A title as it is quoted: whitespace collapsed, cut at a word boundary beyond `limit` characters."""
    text = " ".join(title.split()).rstrip(" .")
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:") + "…"


@dataclass
class SubthemeLabeller:
    """Finds, for a pair of texts, the sub-theme that is clearly nearest to each of them."""

    vectors: np.ndarray
    subthemes: tuple[Subtheme, ...] = SUBTHEMES
    #: The winning sub-theme must beat the runner-up by this much (centred cosine) on *each* side; a
    #: near tie means the model cannot tell the fields apart, and a reason must not guess.
    margin: float = 0.005

    @classmethod
    def build(cls, embedder: Embedder, subthemes: Sequence[Subtheme] = SUBTHEMES) -> SubthemeLabeller:
        """Embed the English sub-theme names once (as passages: answers to "what is this about?")."""
        return cls(
            vectors=embedder.embed_passages([s.names["en"] for s in subthemes]), subthemes=tuple(subthemes)
        )

    def nearest(self, *groups: np.ndarray) -> list[np.ndarray]:
        """Index of the closest sub-theme for each vector of each group (-1 where it is not clear-cut).

        Some names are close to everything (E5 "hubs"); each sub-theme's mean similarity over all
        the given texts is subtracted first, as for offers in `scoring`. With fewer than `MIN_TEXTS`
        texts that mean is meaningless, and every answer is -1.
        """
        sims = [g @ self.vectors.T for g in groups]
        stacked = np.vstack(sims) if sims else np.zeros((0, len(self.subthemes)))
        if len(stacked) < MIN_TEXTS:
            return [np.full(len(s), -1) for s in sims]
        centre = stacked.mean(axis=0)
        out = []
        for s in sims:
            s = s - centre[None, :]
            top2 = np.sort(s, axis=1)[:, -2:]
            clear = (top2[:, 1] - top2[:, 0]) >= self.margin
            out.append(np.where(clear, np.argmax(s, axis=1), -1))
        return out

    def shared(self, a: int, b: int) -> Subtheme | None:
        """The sub-theme both sides chose clearly, or None when they disagree or either is unclear."""
        return self.subthemes[a] if a == b and a >= 0 else None


@dataclass
class TitleMatcher:
    """Says whether two titles are close in meaning, relative to the other title pairs of a batch."""

    left: np.ndarray
    right: np.ndarray
    hub_left: np.ndarray
    hub_right: np.ndarray
    mean: float
    spread: float

    @classmethod
    def build(cls, left: np.ndarray, right: np.ndarray) -> TitleMatcher | None:
        """None when either side has fewer than `MIN_TEXTS` titles (no meaningful reference)."""
        if len(left) < MIN_TEXTS or len(right) < MIN_TEXTS:
            return None
        hub_right = right @ left.mean(axis=0)
        hub_left = left @ right.mean(axis=0)
        rng = np.random.default_rng(0)  # fixed: the same inputs always give the same reasons
        li = rng.choice(len(left), size=min(512, len(left)), replace=False)
        ri = rng.choice(len(right), size=min(512, len(right)), replace=False)
        block = left[li] @ right[ri].T - hub_left[li][:, None] - hub_right[ri][None, :]
        spread = float(block.std())
        return cls(left, right, hub_left, hub_right, float(block.mean()), spread if spread > 1e-6 else 1.0)

    def z(self, i: int, j: int) -> float:
        """How many standard deviations titles i and j are closer than a typical pair."""
        raw = float(self.left[i] @ self.right[j]) - float(self.hub_left[i]) - float(self.hub_right[j])
        return (raw - self.mean) / self.spread

    def close(self, i: int, j: int) -> bool:
        """True when the two titles are close in meaning (`TITLE_MIN_Z`)."""
        return self.z(i, j) >= TITLE_MIN_Z


def need_offer_reasons(
    need: Need, offer: Offer, subtheme: Subtheme | None, titles_close: bool, *, limit: int = 3
) -> tuple[Reason, ...]:
    """Up to `limit` reasons for suggesting `offer` for `need`, most specific first."""
    reasons: list[Reason] = []
    if titles_close:
        reasons.append(Reason("need_offer", (phrase(offer.title), phrase(need.title))))
    if subtheme is not None:
        reasons.append(Reason("subtheme", (subtheme.code,)))
    shared = tuple(f for f in need.focus_areas if f in offer.focus_areas)
    if shared and not reasons:
        reasons.append(Reason("focus_area", shared))
    if need.country in offer.deployed_in:
        reasons.append(Reason("deployed", (need.country,)))
    if need.looking_for:
        met = tuple(x for x in need.looking_for if x in offer.focus_areas or x == offer.country)
        if met:
            reasons.append(Reason("city_looks_for", met))
    if offer.looking_for:
        met = tuple(x for x in offer.looking_for if x in need.focus_areas or x == need.country)
        if met:
            reasons.append(Reason("company_looks_for", met))
    if need.stage and need.stage in offer.stages:
        reasons.append(Reason("stage", (need.stage,)))
    if not reasons:
        # Always say something true: the semantic match is the only evidence left.
        reasons.append(Reason("similar"))
    return tuple(reasons[:limit])


def peer_reasons(
    need: Need, peer: Need, subtheme: Subtheme | None, titles_close: bool, *, limit: int = 3
) -> tuple[Reason, ...]:
    """Reasons for pointing a city to a peer city's need, most specific first."""
    reasons: list[Reason] = []
    if titles_close:
        reasons.append(Reason("need_need", (phrase(peer.title), phrase(need.title))))
    if subtheme is not None:
        reasons.append(Reason("subtheme", (subtheme.code,)))
    shared = tuple(f for f in need.focus_areas if f in peer.focus_areas)
    if shared and not reasons:
        reasons.append(Reason("focus_area", shared))
    if peer.stage and peer.stage == need.stage:
        reasons.append(Reason("same_stage", (peer.stage,)))
    elif peer.stage:
        reasons.append(Reason("peer_stage", (peer.city, peer.stage)))
    if not reasons:
        reasons.append(Reason("similar"))
    return tuple(reasons[:limit])
