"""What the meeting pages share: finding the meeting and the registration a viewer may see."""

from __future__ import annotations

import hmac
import uuid

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from ascnhub.common.http import LoginRequired

from ..models import Meeting, Mode, Registration

Status = Registration.Status


def meeting_or_404(request: HttpRequest, slug: str) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("host"), slug=slug)
    if not request.user.has_perm("events.view_meeting", meeting):
        raise Http404("no such meeting")
    return meeting


def viewer_registration(request: HttpRequest, meeting: Meeting) -> Registration | None:
    """The signed-in viewer's own (non-cancelled) registration for this meeting."""
    if not request.user.is_authenticated:
        return None
    return (
        Registration.objects.select_related("category")
        .filter(meeting=meeting, user=request.user)
        .exclude(status=Status.CANCELLED)
        .first()
    )


def registration_for(
    request: HttpRequest, meeting: Meeting, public_id: uuid.UUID, key: str | None = None
) -> Registration:
    """A registration the viewer may see: by permission, or with the secret key from the e-mail."""
    reg = get_object_or_404(
        Registration.objects.select_related("category", "meeting"), meeting=meeting, public_id=public_id
    )
    key = key if key is not None else request.GET.get("key", "") or request.POST.get("key", "")
    if key and hmac.compare_digest(key, reg.secret):
        return reg
    if request.user.has_perm("events.view_registration", reg):
        return reg
    if not request.user.is_authenticated:
        raise LoginRequired()
    raise PermissionDenied("events.view_registration")


def may_join_online(reg: Registration | None) -> bool:
    return reg is not None and reg.status == Status.APPROVED and reg.mode == Mode.ONLINE
