from tests.projects.conftest import world  # noqa: F401  (the same small world of projects)
