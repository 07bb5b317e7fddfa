"""Typed records of the matching engine (format `ascnhub-match/1`, see shared/formats/matching.md).

Plain frozen dataclasses: the command line builds them from JSON Lines, the web app builds them from
its database rows. Optional fields beyond the published format (`organisation` on a need,
`looking_for`) are extensions the web app may fill; the engine works without them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .reasons import Reason

#: The six focus areas of the ASEAN Smart Cities Framework.
FOCUS_AREAS: tuple[str, ...] = (
    "civic_social",
    "health_wellbeing",
    "safety_security",
    "quality_environment",
    "built_infrastructure",
    "industry_innovation",
)

#: Short English labels used in reasons.
FOCUS_LABELS: dict[str, str] = {
    "civic_social": "civic & social",
    "health_wellbeing": "health & well-being",
    "safety_security": "safety & security",
    "quality_environment": "quality environment",
    "built_infrastructure": "built infrastructure",
    "industry_innovation": "industry & innovation",
}

#: Project stages a need may be at, earliest first.
STAGES: tuple[str, ...] = ("idea", "planning", "procurement", "implementation")


@dataclass(frozen=True)
class Need:
    """A city's need: a problem the city wants a partner for."""

    id: str
    city: str
    country: str
    language: str
    title: str
    description: str
    focus_areas: tuple[str, ...]
    stage: str | None = None
    budget_usd: int | None = None
    #: The organisation that published the need (e.g. the city hall); its own offers are never suggested.
    organisation: str | None = None
    #: What the participant said they look for: focus areas and/or ISO country codes.
    looking_for: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """Title and description as one text, the unit that is embedded."""
        return f"{self.title}. {self.description}"


@dataclass(frozen=True)
class Offer:
    """A solution offered by a company (or another organisation)."""

    id: str
    organisation: str
    country: str
    language: str
    title: str
    description: str
    focus_areas: tuple[str, ...]
    deployed_in: tuple[str, ...] = ()
    #: Extension: need stages the offer is suited to (empty = any).
    stages: tuple[str, ...] = ()
    #: Extension: the smallest project budget the offer is realistic for.
    min_budget_usd: int | None = None
    #: What the company said it looks for: focus areas and/or ISO country codes.
    looking_for: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """Title and description as one text, the unit that is embedded."""
        return f"{self.title}. {self.description}"


@dataclass(frozen=True)
class Suggestion:
    """One ranked item with its score and reasons, each true of the pair, most specific first.

    `explanations` are the structured reasons (`reasons.Reason`: a kind code and its values), to store
    and to show in the reader's language; `reasons` are the same in English, for existing callers.
    """

    id: str
    score: float
    reasons: tuple[str, ...] = ()
    explanations: tuple[Reason, ...] = ()

    def reasons_in(self, language: str) -> tuple[str, ...]:
        """The reasons rendered in `language` (`en`, `id`, `ja`; others fall back to English)."""
        return tuple(r.text(language) for r in self.explanations)


@dataclass(frozen=True)
class Ranking:
    """The suggestions for one subject (a need, an offer or a city's need), best first."""

    subject: str
    suggestions: tuple[Suggestion, ...] = field(default_factory=tuple)

    @property
    def ids(self) -> list[str]:
        """The suggested ids, best first."""
        return [s.id for s in self.suggestions]


@dataclass(frozen=True)
class Judgement:
    """A relevance judgement: 2 directly solves the need, 1 partially relevant."""

    need: str
    offer: str
    grade: int
