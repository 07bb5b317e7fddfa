"""Meeting scheduler: provably optimal 1:1 schedules (``ascnhub-schedule/1``).

The API the rest of ASCN Hub calls::

    from ascnhub.engine.scheduling import instance_from_dict, solve, validate, result_to_dict
    result = solve(instance, time_limit_s=60, seed=0, workers=2, on_progress=print)
    assert not validate(instance, result)
    doc = result_to_dict(result)

No Django import here or below.
"""

from .errors import InstanceError, ResultError, SchedulingError
from .formats import (
    instance_from_dict,
    instance_to_dict,
    read_instance,
    read_result,
    result_from_dict,
    result_to_dict,
    write_instance,
    write_result,
)
from .generator import generate
from .model import (
    Assignment,
    Instance,
    Location,
    Meeting,
    Objective,
    Participant,
    Progress,
    Result,
    ResultObjective,
    Slot,
    Violation,
)
from .reschedule import reschedule
from .solver import solve
from .validator import validate

__all__ = [
    "Assignment",
    "Instance",
    "InstanceError",
    "Location",
    "Meeting",
    "Objective",
    "Participant",
    "Progress",
    "Result",
    "ResultError",
    "ResultObjective",
    "SchedulingError",
    "Slot",
    "Violation",
    "generate",
    "instance_from_dict",
    "instance_to_dict",
    "read_instance",
    "read_result",
    "reschedule",
    "result_from_dict",
    "result_to_dict",
    "solve",
    "validate",
    "write_instance",
    "write_result",
]
