"""Content in several languages: versions with a status, and the workflow that makes them.

Every app whose content may be translated registers its model here from its `AppConfig.ready()`
(`register(Project, fields=("title", "description"), can_view=…, can_edit=…)`); this module
lives in `common`, under all of them, and reaches their objects only through what they register.

A version (`common.ContentTranslation`, one per object and language) carries a status:

- *human translation*: written by a person and approved by a reviewer (or written by the
  content's editors on its own form);
- *machine translation*: the configured machine-translation backend's output, always labelled
  so and never approved by itself;
- *outdated*: the original changed after the version was made. Each version keeps a hash of the
  original's translatable fields it was made from; when the original is saved, a `post_save`
  receiver compares hashes and marks the versions whose original moved on.

The original itself is the fourth status ("original"), in its `language`.

The workflow, with who may do each step (decided here, tested from the outside):

- *request* a translation into a language: any signed-in person who may see the content;
- *assign* it: the content's editors (the `can_edit` the app registered: the city's officers for
  a project, the company for an offer, …) and the secretariat; they assign to themselves or to
  another person who may edit it or to a member of the secretariat — these are the translators;
- *submit*: the assigned translator only;
- *review*: approve (the text becomes the human translation) or reject with a reason (back to the
  translator), by an editor or the secretariat other than the translator;
- *machine-translate*: an editor or the secretariat, when a backend is configured; the task runs
  in the background, and a failure is written on the request and changes no text.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, get_language_info, gettext_lazy
from django.utils.translation import gettext as _

from .activity import record as log
from .errors import DomainError
from .models import ContentTranslation
from .permissions import is_secretariat
from .signals import translation_step

Status = ContentTranslation.Status
State = ContentTranslation.State


class TranslationError(DomainError):
    """A refused step of the translation workflow."""

    conflicts = frozenset({"already_requested", "wrong_state"})


@dataclass(frozen=True)
class Translatable:
    """What an app declares about one model whose content may be translated."""

    model: type[models.Model]
    #: The translatable fields, in the order they are shown and sent to machine translation.
    fields: tuple[str, ...]
    #: May this user see the object? (A private object's versions are as private as it is.)
    can_view: Callable[[Any, Any], bool]
    #: May this user edit the object? Editors translate, assign and review its versions.
    can_edit: Callable[[Any, Any], bool]
    #: The original's text of each field (default: the attribute of that name).
    source: Callable[[Any], dict[str, str]] | None = None
    language_field: str = "language"
    #: Labels of the fields for the forms (default: the model fields' verbose names).
    labels: dict[str, Any] = field(default_factory=dict)
    #: Where the JSON translations of the model's own form are kept, if it has them
    #: (`projects.MultilingualText.translations`): kept in step with the versions.
    legacy_field: str = ""

    def original(self, obj: Any) -> dict[str, str]:
        """The original's translatable text, field by field."""
        if self.source is not None:
            return self.source(obj)
        return {name: getattr(obj, name) or "" for name in self.fields}

    def label(self, name: str) -> Any:
        if name in self.labels:
            return self.labels[name]
        try:
            model_field = self.model._meta.get_field(name)
        except Exception:  # a computed field: its name is all there is
            return name
        return getattr(model_field, "verbose_name", name)

    def languages(self) -> list[tuple[str, Any]]:
        """The languages a version may be in: the model's own choices, else the person languages."""
        choices = getattr(self.model._meta.get_field(self.language_field), "choices", None)
        return list(choices or settings.ASCNHUB_PERSON_LANGUAGES)


_REGISTRY: dict[type[models.Model], Translatable] = {}


def register(
    model: type[models.Model],
    *,
    fields: Sequence[str],
    can_view: Callable[[Any, Any], bool],
    can_edit: Callable[[Any, Any], bool],
    source: Callable[[Any], dict[str, str]] | None = None,
    language_field: str = "language",
    labels: dict[str, Any] | None = None,
    legacy_field: str = "",
) -> Translatable:
    """Declare that `model`'s `fields` may be translated; call from the app's `ready()`.

    Connects the receivers that mark versions outdated when the original is saved and delete them
    with it.
    """
    spec = Translatable(
        model, tuple(fields), can_view, can_edit, source, language_field, labels or {}, legacy_field
    )
    _REGISTRY[model] = spec
    post_save.connect(_original_saved, sender=model, dispatch_uid=f"translations-saved-{model._meta.label}")
    post_delete.connect(
        _original_deleted, sender=model, dispatch_uid=f"translations-deleted-{model._meta.label}"
    )
    return spec


def spec_for(obj_or_model: Any) -> Translatable:
    """The registration of an object's model (raises KeyError for a model never registered)."""
    model: Any = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    return _REGISTRY[model._meta.concrete_model]


def registered_models() -> list[type[models.Model]]:
    return list(_REGISTRY)


def perm_checker(perm: str) -> Callable[[Any, Any], bool]:
    """`can_view`/`can_edit` from a django-rules permission name."""

    def check(user: Any, obj: Any) -> bool:
        return bool(user.has_perm(perm, obj))

    return check


def language_name(code: str) -> str:
    """The language's name in the reader's language ("Japanese", "Bahasa Jepang", "日本語")."""
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        names = dict(settings.ASCNHUB_PERSON_LANGUAGES)
        return str(names.get(code, code))


def source_hash(obj: Any) -> str:
    """A hash of the original's translatable text: a version made from another text is outdated."""
    text = spec_for(obj).original(obj)
    return hashlib.sha256(json.dumps(text, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _versions(obj: Any) -> models.QuerySet[ContentTranslation]:
    ct = ContentType.objects.get_for_model(obj)
    return ContentTranslation.objects.filter(content_type=ct, object_id=obj.pk)


def original_language(obj: Any) -> str:
    return getattr(obj, spec_for(obj).language_field) or "en"


# --- keeping versions in step with the original -------------------------------------------------


def _original_saved(sender: type[models.Model], instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """On every save of an original: versions made from another text become outdated, and the
    model's own JSON translations (entered on its form by its editors) become human versions."""
    if raw:  # fixtures and `loaddata`: the versions come with them
        return
    mark_outdated(instance)
    spec = spec_for(instance)
    if spec.legacy_field:
        _sync_legacy(instance, spec)


def _original_deleted(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
    _versions(instance).delete()


def mark_outdated(obj: Any) -> int:
    """Mark the versions of `obj` made from another text than its current one as outdated, and
    those made from exactly its current text (the original was changed back) current again.

    Returns how many became outdated. A version already outdated keeps the date the original
    first moved away from it.
    """
    current = source_hash(obj)
    now = timezone.now()
    versions = _versions(obj)
    changed = (
        versions.filter(status__in=[Status.HUMAN, Status.MACHINE])
        .exclude(source_hash=current)
        .update(status=Status.OUTDATED, outdated_at=now, updated_at=now)
    )
    # An original changed back to the text a version was made from: the version is current again.
    for origin in (Status.HUMAN, Status.MACHINE):
        versions.filter(status=Status.OUTDATED, source_hash=current, origin=origin).update(
            status=origin, outdated_at=None, updated_at=now
        )
    return changed


def _sync_legacy(obj: Any, spec: Translatable) -> None:
    """The editors' own translations (the form's JSON) as human versions, when their text changed.

    An unchanged entry leaves its version alone, so a version that just became outdated stays so
    until someone updates its text.
    """
    entries = getattr(obj, spec.legacy_field) or {}
    if not entries:
        return
    original = original_language(obj)
    current = source_hash(obj)
    existing = {v.language: v for v in _versions(obj)}
    ct = ContentType.objects.get_for_model(obj)
    for lang, text in entries.items():
        if lang == original or not isinstance(text, dict):
            continue
        fields = {name: text.get(name) or "" for name in spec.fields}
        version = existing.get(lang)
        if version is not None and version.fields == fields:
            continue
        if version is None:
            version = ContentTranslation(
                content_type=ct, object_id=obj.pk, language=lang, state=State.APPROVED
            )
        version.fields = fields
        version.status = version.origin = Status.HUMAN
        version.source_hash = current
        version.outdated_at = None
        if not version.is_open:
            version.state = State.APPROVED
        version.save()


# --- what a reader sees ---------------------------------------------------------------------------


@dataclass
class Shown:
    """The text a page shows for one object, and how to label it."""

    fields: dict[str, str]
    language: str
    status: str  # "original", or a version's Status
    original_language: str
    outdated_at: datetime | None = None
    #: A version in the reader's language exists but the reader asked for the original.
    version_available: str = ""
    #: The reader's language (an original in another one is labelled so).
    viewer_language: str = ""

    @property
    def is_translation(self) -> bool:
        return self.status != "original"

    @property
    def original_language_name(self) -> str:
        return language_name(self.original_language)

    @property
    def language_name(self) -> str:
        return language_name(self.language)

    @property
    def version_available_name(self) -> str:
        return language_name(self.version_available) if self.version_available else ""

    def __getitem__(self, name: str) -> str:
        return self.fields[name]


def shown(obj: Any, lang: str | None = None, *, original: bool = False) -> Shown:
    """The object's text in `lang` (default: the viewer's language) when a version with text
    exists, else the original; `original=True` asks for the original even then."""
    spec = spec_for(obj)
    lang = (lang or get_language() or "en").split("-")[0]
    source_lang = original_language(obj)
    base = Shown(spec.original(obj), source_lang, "original", source_lang, viewer_language=lang)
    if lang == source_lang:
        return base
    version = (
        _versions(obj)
        .filter(language=lang, status__in=[Status.HUMAN, Status.MACHINE, Status.OUTDATED])
        .first()
    )
    if version is None or not any(version.fields.get(n) for n in spec.fields):
        return base
    if original:
        base.version_available = lang
        return base
    text = {n: version.fields.get(n) or base.fields[n] for n in spec.fields}
    return Shown(text, lang, version.status, source_lang, version.outdated_at, viewer_language=lang)


def readable_versions(obj: Any) -> list[dict[str, Any]]:
    """The versions readers may get (human, machine, outdated), for the API: read-only."""
    rows = _versions(obj).filter(status__in=[Status.HUMAN, Status.MACHINE, Status.OUTDATED])
    return [
        {
            "language": v.language,
            "status": v.status,
            "fields": v.fields,
            "outdated_since": v.outdated_at,
            "updated_at": v.updated_at,
        }
        for v in rows.order_by("language")
    ]


@dataclass
class PanelRow:
    language: str
    language_name: str
    status: str
    status_label: str
    version: ContentTranslation | None


def panel(obj: Any, user: Any) -> dict[str, Any]:
    """Each language's status for the object's "Translations" panel, and what the user may do."""
    spec = spec_for(obj)
    versions = {v.language: v for v in _versions(obj).select_related("translator")}
    source_lang = original_language(obj)
    rows = [PanelRow(source_lang, language_name(source_lang), "original", _("original"), None)]
    for code, _name in spec.languages():
        if code == source_lang or code not in versions:
            continue
        v = versions[code]
        rows.append(PanelRow(code, language_name(code), v.status, str(v.get_status_display()), v))
    requestable = [
        (code, language_name(code))
        for code, _name in spec.languages()
        if code != source_lang and (code not in versions or _requestable(versions[code]))
    ]
    ct = ContentType.objects.get_for_model(obj)
    return {
        "rows": rows,
        "can_request": bool(getattr(user, "is_authenticated", False)) and bool(requestable),
        "requestable": requestable,
        "content_type": f"{ct.app_label}.{ct.model}",
        "object_id": obj.pk,
    }


def _requestable(version: ContentTranslation) -> bool:
    """A language may be asked for again unless a request is open or its human translation is current."""
    return not version.is_open and version.status != Status.HUMAN


# --- the workflow -----------------------------------------------------------------------------------


def content_of(version: ContentTranslation) -> Any:
    """The original object a version belongs to."""
    model = version.content_type.model_class()
    assert model is not None
    return model._default_manager.get(pk=version.object_id)


def can_manage(user: Any, obj: Any) -> bool:
    """Editors of the content and the secretariat assign, review and machine-translate its versions."""
    if not getattr(user, "is_authenticated", False):
        return False
    return is_secretariat(user) or spec_for(obj).can_edit(user, obj)


def may_see_content(user: Any, obj: Any) -> bool:
    """May this signed-in user see the object (and so its versions and requests)?"""
    if not getattr(user, "is_authenticated", False):
        return False
    return is_secretariat(user) or spec_for(obj).can_view(user, obj)


ASSIGNABLE = (State.REQUESTED, State.ASSIGNED, State.REJECTED)
SUBMITTABLE = (State.ASSIGNED, State.REJECTED)


def may_see(user: Any, version: ContentTranslation, obj: Any | None = None) -> bool:
    """Who sees a request: whoever may see its content and is signed in."""
    obj = obj if obj is not None else content_of(version)
    return may_see_content(user, obj)


def _refuse_unless(allowed: bool, message: str) -> None:
    if not allowed:
        raise TranslationError("forbidden", message)


def find_content(label: str, object_id: Any) -> Any:
    """The registered object `label` ("projects.project") with primary key `object_id`, or a refusal."""
    try:
        app_label, model_name = label.split(".")
        ct = ContentType.objects.get_by_natural_key(app_label, model_name)
        model = ct.model_class()
        obj = model._default_manager.get(pk=int(object_id)) if model in _REGISTRY else None
    except (ValueError, TypeError, ContentType.DoesNotExist, models.ObjectDoesNotExist):
        obj = None
    if obj is None:
        raise TranslationError("not_found", _("There is no such content to translate."))
    return obj


@transaction.atomic
def request_translation(user: Any, obj: Any, language: str) -> ContentTranslation:
    """Ask for a translation of `obj` into `language`: a new request in the translators' queue.

    A language that already has a version (outdated, machine-made or approved) gets a new
    request on the same row; its current text stays visible until a new one is approved.
    """
    spec = spec_for(obj)
    _refuse_unless(may_see_content(user, obj), _("You may not request translations of this content."))
    codes = dict(spec.languages())
    if language not in codes:
        raise TranslationError("language", _("Choose one of the languages offered."), field="language")
    if language == original_language(obj):
        raise TranslationError(
            "language",
            _("This content is written in %(lang)s: choose another language.")
            % {"lang": language_name(language)},
            field="language",
        )
    ct = ContentType.objects.get_for_model(obj)
    version, created = ContentTranslation.objects.select_for_update().get_or_create(
        content_type=ct, object_id=obj.pk, language=language, defaults={"requested_by": user}
    )
    if not created:
        if version.status == Status.HUMAN and not version.is_open:
            raise TranslationError(
                "already_requested",
                _("The translation into %(lang)s is current: ask again once the original changes.")
                % {"lang": language_name(language)},
                field="language",
            )
        if version.is_open:
            raise TranslationError(
                "already_requested",
                _("A translation into %(lang)s is already requested.") % {"lang": language_name(language)},
                field="language",
            )
        version.state = State.REQUESTED
        version.requested_by = user
        version.translator = version.reviewer = None
        version.draft = {}
        version.review_note = version.machine_error = ""
        version.save()
    log(user, "request_translation", version, {"language": [None, language]})
    return version


def _lock(version: ContentTranslation) -> ContentTranslation:
    return ContentTranslation.objects.select_for_update().select_related("content_type").get(pk=version.pk)


@transaction.atomic
def assign(user: Any, version: ContentTranslation, translator: Any) -> ContentTranslation:
    """Give an open request to `translator` (an editor of the content or the secretariat)."""
    version = _lock(version)
    obj = content_of(version)
    _refuse_unless(
        can_manage(user, obj), _("Only the content's editors and the secretariat assign translations.")
    )
    if version.state not in ASSIGNABLE:
        raise TranslationError("wrong_state", _("Only a request not yet submitted can be assigned."))
    if translator is None or not can_manage(translator, obj):
        raise TranslationError(
            "translator",
            _("A translator must be one of the content's editors or of the secretariat."),
            field="translator",
        )
    before = version.translator_id
    version.translator = translator
    version.assigned_by = user
    if version.state == State.REQUESTED:
        version.state = State.ASSIGNED
    version.save()
    log(user, "assign_translation", version, {"translator": [before, translator.pk]})
    _announce(version, obj, "assigned", user, [translator])
    return version


@transaction.atomic
def submit(user: Any, version: ContentTranslation, text: dict[str, str]) -> ContentTranslation:
    """The translator hands in the text; it waits for review."""
    version = _lock(version)
    obj = content_of(version)
    spec = spec_for(obj)
    _refuse_unless(
        version.translator_id is not None and version.translator_id == getattr(user, "pk", None),
        _("Only the assigned translator submits this translation."),
    )
    if version.state not in SUBMITTABLE:
        raise TranslationError("wrong_state", _("This translation is not waiting for a text."))
    cleaned = {name: (text.get(name) or "").strip() for name in spec.fields}
    original = spec.original(obj)
    for name in spec.fields:
        if original.get(name) and not cleaned[name]:
            raise TranslationError(
                "empty", _("Translate “%(field)s” too.") % {"field": spec.label(name)}, field=name
            )
    version.draft = cleaned
    version.draft_source_hash = source_hash(obj)
    version.state = State.SUBMITTED
    version.submitted_at = timezone.now()
    version.review_note = ""
    version.save()
    log(user, "submit_translation", version, {})
    _announce(version, obj, "submitted", user, [version.assigned_by])
    return version


@transaction.atomic
def approve(user: Any, version: ContentTranslation) -> ContentTranslation:
    """A reviewer accepts the submitted text: it becomes the human translation readers see.

    If the original changed while the text was in review, the approved version is outdated at once.
    """
    version = _lock(version)
    obj = content_of(version)
    _check_reviewer(user, version, obj)
    current = source_hash(obj)
    version.fields = dict(version.draft)
    version.draft = {}
    version.source_hash = version.draft_source_hash
    version.origin = Status.HUMAN
    if version.source_hash == current:
        version.status, version.outdated_at = Status.HUMAN, None
    else:
        version.status, version.outdated_at = Status.OUTDATED, timezone.now()
    version.state = State.APPROVED
    version.reviewer = user
    version.reviewed_at = timezone.now()
    version.review_note = ""
    version.save()
    _write_legacy(obj, version)
    log(user, "approve_translation", version, {"status": [None, version.status]})
    _announce(version, obj, "approved", user, [version.translator, version.requested_by])
    return version


@transaction.atomic
def reject(user: Any, version: ContentTranslation, reason: str) -> ContentTranslation:
    """A reviewer sends the text back to the translator with a reason; readers' text is unchanged."""
    version = _lock(version)
    obj = content_of(version)
    _check_reviewer(user, version, obj)
    reason = (reason or "").strip()
    if not reason:
        raise TranslationError("reason", _("Say what should change."), field="reason")
    version.state = State.REJECTED
    version.reviewer = user
    version.reviewed_at = timezone.now()
    version.review_note = reason
    version.save()
    log(user, "reject_translation", version, {"reason": [None, reason]})
    _announce(version, obj, "rejected", user, [version.translator])
    return version


#: A request may be withdrawn until a text waits for review (then the reviewer decides).
WITHDRAWABLE = (State.REQUESTED, State.ASSIGNED, State.REJECTED)


def may_withdraw(user: Any, version: ContentTranslation, obj: Any) -> bool:
    """Whoever asked for the translation, the content's editors and the secretariat withdraw it."""
    if not getattr(user, "is_authenticated", False):
        return False
    return version.requested_by_id == user.pk or can_manage(user, obj)


@transaction.atomic
def withdraw(user: Any, version: ContentTranslation) -> ContentTranslation:
    """Close an open request nobody needs any more: it leaves the translators' queue, the text
    readers see (if any) stays, the translator's unsubmitted work is dropped, and the language may
    be asked for again later (a new request on the same row)."""
    version = _lock(version)
    obj = content_of(version)
    _refuse_unless(
        may_withdraw(user, version, obj),
        _("Only whoever asked for it, the content's editors and the secretariat withdraw a request."),
    )
    if version.state not in WITHDRAWABLE:
        raise TranslationError(
            "wrong_state",
            _("A text waits for review: approve it or send it back instead.")
            if version.state == State.SUBMITTED
            else _("This request is not open."),
        )
    before = version.state
    version.state = State.WITHDRAWN
    version.draft = {}
    version.save()
    log(user, "withdraw_translation", version, {"state": [before, State.WITHDRAWN]})
    _announce(version, obj, "withdrawn", user, [version.translator, version.requested_by])
    return version


def _announce(version: ContentTranslation, obj: Any, step: str, actor: Any, users: list[Any]) -> None:
    """Tell the people concerned (never the one who acted, nobody twice) through the apps above."""
    recipients: list[Any] = []
    for u in users:
        if u is not None and u.pk != actor.pk and u.is_active and u not in recipients:
            recipients.append(u)
    if recipients:
        translation_step.send(
            ContentTranslation,
            version=version,
            step=step,
            actor=actor,
            recipients=recipients,
            title=str(obj),
            url=reverse("translation", args=[version.public_id]),
        )


def _check_reviewer(user: Any, version: ContentTranslation, obj: Any) -> None:
    _refuse_unless(
        can_manage(user, obj), _("Only the content's editors and the secretariat review translations.")
    )
    if version.state != State.SUBMITTED:
        raise TranslationError("wrong_state", _("This translation is not waiting for review."))
    if version.translator_id == user.pk:
        raise TranslationError("own_work", _("Someone other than the translator reviews a translation."))


def _write_legacy(obj: Any, version: ContentTranslation) -> None:
    """Copy an approved human text into the model's own translations, which its lists and the
    search read; the original's text (and so its hash) does not change."""
    spec = spec_for(obj)
    if not spec.legacy_field or version.status != Status.HUMAN:
        return
    entries = dict(getattr(obj, spec.legacy_field) or {})
    entries[version.language] = {name: version.fields.get(name, "") for name in spec.fields}
    setattr(obj, spec.legacy_field, entries)
    # save() (not update()) so the model recomputes what it derives from them (its search text).
    obj.save()


# --- machine translation ----------------------------------------------------------------------------


def machine_translation_enabled() -> bool:
    return bool(getattr(settings, "ASCNHUB_MT_URL", ""))


def request_machine_translation(user: Any, version: ContentTranslation) -> None:
    """Queue the machine translation of a request (an editor or the secretariat asks for it)."""
    obj = content_of(version)
    _refuse_unless(
        can_manage(user, obj), _("Only the content's editors and the secretariat start machine translation.")
    )
    if not machine_translation_enabled():
        raise TranslationError("mt_off", _("No machine-translation service is configured."))
    from . import tasks  # tasks imports this module's functions through the task wrappers

    version_id = version.pk
    transaction.on_commit(lambda: tasks.machine_translate.enqueue(version_id))


def machine_translate(version_id: int, backend: Any = None) -> ContentTranslation:
    """Fill a version with the backend's translation, labelled machine translation.

    It never approves anything: an open request stays open for a person to review or redo, and a
    human translation is never replaced by a machine one unless it is outdated. A failure of the
    backend is written on the request (`machine_error`) and changes no text.
    """
    from .machine_translation import MachineTranslationError, configured_backend

    version = ContentTranslation.objects.select_related("content_type").get(pk=version_id)
    obj = content_of(version)
    spec = spec_for(obj)
    if version.status == Status.HUMAN:
        return version  # a current human translation is better than any machine one
    backend = backend or configured_backend()
    original = spec.original(obj)
    names = [n for n in spec.fields if original.get(n)]
    hash_before = source_hash(obj)
    try:
        if backend is None:
            raise MachineTranslationError(_("No machine-translation service is configured."))
        texts = backend.translate([original[n] for n in names], original_language(obj), version.language)
    except MachineTranslationError as exc:
        ContentTranslation.objects.filter(pk=version.pk).update(
            machine_error=str(exc), updated_at=timezone.now()
        )
        version.machine_error = str(exc)
        return version
    with transaction.atomic():
        version = _lock(version)
        if version.status == Status.HUMAN:
            return version  # approved by a person while the machine worked
        version.fields = dict.fromkeys(spec.fields, "") | dict(zip(names, texts, strict=True))
        version.status = version.origin = Status.MACHINE
        version.source_hash = hash_before
        version.outdated_at = None
        version.machine_error = ""
        version.save()
        mark_outdated(obj)  # the original changed during the call: say so at once
    version.refresh_from_db()
    return version


# --- the queue ----------------------------------------------------------------------------------------


def queue_for(user: Any, state: str = "") -> models.QuerySet[ContentTranslation]:
    """The translation requests a user works on: all for the secretariat; for others, those they
    requested, are assigned to or reviewed."""
    rows = ContentTranslation.objects.select_related("content_type", "translator", "requested_by")
    if not is_secretariat(user):
        rows = rows.filter(models.Q(translator=user) | models.Q(requested_by=user) | models.Q(reviewer=user))
    if state == "open":
        rows = rows.filter(state__in=ContentTranslation.OPEN_STATES)
    elif state:
        rows = rows.filter(state=state)
    return rows.order_by("-updated_at", "-id")


def attach_content(versions: Iterable[ContentTranslation]) -> list[ContentTranslation]:
    """Load each version's original object in one query per model (for the queue's titles)."""
    versions = list(versions)
    by_type: dict[int, set[int]] = {}
    for v in versions:
        by_type.setdefault(v.content_type_id, set()).add(v.object_id)
    objects: dict[tuple[int, int], Any] = {}
    for ct_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(ct_id).model_class()
        if model is None:
            continue
        for obj in model._default_manager.filter(pk__in=ids):
            objects[(ct_id, obj.pk)] = obj
    for v in versions:
        v.content = objects.get((v.content_type_id, v.object_id))  # type: ignore[attr-defined]
    return versions


STATUS_LABELS = {
    "original": gettext_lazy("Original"),
    Status.HUMAN: gettext_lazy("Human translation"),
    Status.MACHINE: gettext_lazy("Machine translation"),
    Status.OUTDATED: gettext_lazy("Outdated translation"),
}


def page_context(request: Any, obj: Any) -> dict[str, Any]:
    """What an object's page needs: `text` (in the viewer's language, or the original when the
    address says `?original=1`) and `translation_panel` (each language's status)."""
    return {
        "text": shown(obj, original=request.GET.get("original") == "1"),
        "translation_panel": panel(obj, request.user),
    }
