from ascnhub.common.errors import DomainError


class NoticesError(DomainError):
    """A refused change to notices or their preferences."""
