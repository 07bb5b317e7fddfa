from ascnhub.common.errors import DomainError


class PrivacyError(DomainError):
    """A refused export, erasure or consent change."""

    conflicts = frozenset({"already_erased", "already_requested"})
