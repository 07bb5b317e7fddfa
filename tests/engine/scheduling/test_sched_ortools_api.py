"""Every OR-Tools method and attribute the engine names exists on the OR-Tools object it is used on.

OR-Tools' CP-SAT API is snake_case while the linear solver wrapper (pywraplp) is CamelCase only; a
rename of ``lp.Add`` to ``lp.add`` once passed every test because no test reached that code (it
runs only on instances with more than 15,000 meetings). This test reads the engine's source and
checks each attribute used on a receiver whose OR-Tools type it can tell, whether or not a test
runs that line. The runtime tests in ``test_sched_lns.py`` drive both paths as well.

The type of a receiver is known from: constructors (``cp_model.CpModel()``, ``cp_model.CpSolver()``,
``pywraplp.Solver.CreateSolver(...)``), annotations of parameters, locals, dataclass fields and
return values (``cp_model.CpModel``, ``cp_model.CpSolver``, ``SlotModel`` ...), and the results of
known methods (``model.new_bool_var`` is an ``IntVar``, ``model.add`` a ``Constraint``, ``solver.parameters``
the ``SatParameters``, ``lp.NumVar`` a variable, ``lp.Objective()`` the objective).
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path
from typing import Any

from ortools.linear_solver import pywraplp
from ortools.sat import sat_parameters_pb2
from ortools.sat.python import cp_model

import ascnhub.engine.scheduling as scheduling

ENGINE = Path(scheduling.__file__).resolve().parent

_LP = pywraplp.Solver.CreateSolver("GLOP")
_CP = cp_model.CpModel()
_B = _CP.new_bool_var("b")

#: OR-Tools types by the name the checker gives them, with an object attributes are looked up on
#: (instances where there are: some attributes, e.g. ``CpSolver.parameters``, are set per instance)
TYPES: dict[str, Any] = {
    "CpModel": _CP,
    "CpSolver": cp_model.CpSolver(),
    "IntVar": _B,
    "IntervalVar": _CP.new_optional_interval_var(0, 1, 1, _B, "i"),
    "Constraint": _CP.add(_B == 1),
    "LinearExpr": cp_model.LinearExpr,
    "Callback": cp_model.CpSolverSolutionCallback(),
    "SatParameters": sat_parameters_pb2.SatParameters(),
    "MPSolver": _LP,
    "MPVariable": _LP.NumVar(0, 1, "v"),
    "MPObjective": _LP.Objective(),
    "MPConstraint": _LP.Constraint(0, 1),
}

#: annotations (as written in the engine) -> type name; "SlotModel" is the engine's own holder
ANNOTATIONS = {
    "cp_model.CpModel": "CpModel",
    "cp_model.CpSolver": "CpSolver",
    "cp_model.IntVar": "IntVar",
    "cp_model.IntervalVar": "IntervalVar",
    "SlotModel": "SlotModel",
}


def _has(obj: object, attr: str) -> bool:
    """``hasattr`` without running properties (``CpSolver.objective_value`` raises before a solve)."""
    try:
        inspect.getattr_static(obj, attr)
        return True
    except AttributeError:
        pass
    try:
        return hasattr(obj, attr)  # protobuf fields are not found statically
    except Exception:
        return True


def _result_of_method(owner: str, name: str) -> str | None:
    """The type of ``<owner>.<name>(...)``."""
    if owner == "CpModel":
        if name == "clone":
            return "CpModel"
        if name in ("new_bool_var", "new_int_var", "new_int_var_from_domain", "new_constant"):
            return "IntVar"
        if "interval_var" in name:
            return "IntervalVar"
        if name.startswith("add"):
            return "Constraint"
    if owner == "MPSolver":
        if name in ("NumVar", "IntVar", "BoolVar"):
            return "MPVariable"
        if name == "Objective":
            return "MPObjective"
        if name in ("Add", "Constraint", "RowConstraint"):
            return "MPConstraint"
    if owner == "IntVar" and name in ("negated", "Not"):
        return "IntVar"
    return None


class _Checker:
    def __init__(self, sources: dict[str, ast.Module]) -> None:
        self.sources = sources
        self.problems: list[str] = []
        self.checked: dict[str, set[str]] = {}
        self.fields: dict[str, dict[str, str]] = {}  # engine class -> field -> type
        self.returns: dict[str, str] = {}  # engine function -> return type
        self.callbacks: set[str] = set()
        self.own: set[str] = set()
        for tree in sources.values():
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef):
                    fields = {}
                    for st in node.body:
                        if isinstance(st, ast.AnnAssign) and isinstance(st.target, ast.Name):
                            t = ANNOTATIONS.get(ast.unparse(st.annotation))
                            if t:
                                fields[st.target.id] = t
                    self.fields[node.name] = fields
                    bases = {ast.unparse(b) for b in node.bases}
                    if "cp_model.CpSolverSolutionCallback" in bases or bases & self.callbacks:
                        self.callbacks.add(node.name)
                elif isinstance(node, ast.FunctionDef) and node.returns is not None:
                    t = ANNOTATIONS.get(ast.unparse(node.returns))
                    if t:
                        self.returns[node.name] = t

    def _lookup(self, owner: str, attr: str, where: str) -> None:
        if owner == "SlotModel":
            return
        self.checked.setdefault(owner, set()).add(attr)
        problem = f"{where}: {owner} has no attribute {attr!r}"
        if not _has(TYPES[owner], attr) and problem not in self.problems:
            self.problems.append(problem)

    def type_of(self, node: ast.expr, env: dict[str, str], where: str) -> str | None:
        """The OR-Tools (or SlotModel) type of an expression, checking each attribute on the way."""
        if isinstance(node, ast.Name):
            return env.get(node.id)
        if isinstance(node, ast.Attribute):
            base = node.value
            if isinstance(base, ast.Name) and base.id == "cp_model":
                problem = f"{where}: cp_model has no attribute {node.attr!r}"
                if not hasattr(cp_model, node.attr) and problem not in self.problems:
                    self.problems.append(problem)
                return {"LinearExpr": "LinearExpr"}.get(node.attr)
            if ast.unparse(base) == "pywraplp.Solver":
                self._lookup("MPSolver", node.attr, where)
                return None
            owner = self.type_of(base, env, where)
            if owner is None or (owner == "Callback" and node.attr in self.own):
                return None
            if owner == "SlotModel":
                return self.fields.get("SlotModel", {}).get(node.attr)
            self._lookup(owner, node.attr, where)
            if owner == "CpSolver" and node.attr == "parameters":
                return "SatParameters"
            return None
        if isinstance(node, ast.Call):
            for a in [*node.args, *(k.value for k in node.keywords)]:
                self.visit_expr(a, env, where)
            f = node.func
            text = ast.unparse(f)
            if text == "cp_model.CpModel":
                return "CpModel"
            if text == "cp_model.CpSolver":
                return "CpSolver"
            if text == "pywraplp.Solver.CreateSolver":
                return "MPSolver"
            if isinstance(f, ast.Name):
                return self.returns.get(f.id)
            if isinstance(f, ast.Attribute):
                owner = self.type_of(f.value, env, where)
                if owner == "Callback" and f.attr in self.own:
                    return None
                if owner is not None and owner != "SlotModel":
                    self._lookup(owner, f.attr, where)
                    return _result_of_method(owner, f.attr)
            else:
                self.visit_expr(f, env, where)
            return None
        self.visit_expr(node, env, where)
        return None

    def visit_expr(self, node: ast.AST, env: dict[str, str], where: str) -> None:
        if isinstance(node, (ast.Name, ast.Attribute, ast.Call)):
            self.type_of(node, env, where)
            return
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                self.visit_expr(child, env, where)
            elif isinstance(child, ast.comprehension):
                self.visit_expr(child.iter, env, where)
                for c in child.ifs:
                    self.visit_expr(c, env, where)
            elif isinstance(child, ast.keyword):
                self.visit_expr(child.value, env, where)

    def function(self, fn: ast.FunctionDef, module: str, cls: str | None) -> None:
        env: dict[str, str] = {}
        args = [*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs]
        for a in args:
            t = ANNOTATIONS.get(ast.unparse(a.annotation)) if a.annotation is not None else None
            if t:
                env[a.arg] = t
        # one pass to type the locals (flow-insensitive: a name given two types is left untyped)
        clash: set[str] = set()
        for node in ast.walk(fn):
            target, value, ann = None, None, None
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target, value = node.targets[0], node.value
            elif isinstance(node, ast.AnnAssign):
                target, value, ann = node.target, node.value, node.annotation
            if not isinstance(target, ast.Name):
                continue
            t = ANNOTATIONS.get(ast.unparse(ann)) if ann is not None else None
            if t is None and value is not None:
                t = self.type_of(value, dict(env), f"{module}:{node.lineno}")
            if t is None:
                continue
            if env.get(target.id, t) != t:
                clash.add(target.id)
            env[target.id] = t
        for name in clash:
            env.pop(name, None)
        if cls in self.callbacks:
            env["self"] = "Callback"
        for st in fn.body:
            for node in ast.walk(st):
                if isinstance(node, ast.stmt) and not isinstance(node, ast.FunctionDef):
                    for child in ast.iter_child_nodes(node):
                        if isinstance(child, ast.expr):
                            self._top(child, env, f"{module}:{node.lineno}", cls)

    def _top(self, node: ast.expr, env: dict[str, str], where: str, cls: str | None) -> None:
        # attributes the callback classes set on themselves (or define) are theirs, not OR-Tools'
        self.own = self._own_attrs() if cls in self.callbacks else set()
        self.visit_expr(node, env, where)

    def _own_attrs(self) -> set[str]:
        own: set[str] = set()
        for tree in self.sources.values():
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef) and node.name in self.callbacks:
                    for sub in ast.walk(node):
                        if isinstance(sub, ast.Attribute) and isinstance(sub.ctx, ast.Store):
                            own.add(sub.attr)
                        if isinstance(sub, ast.FunctionDef):
                            own.add(sub.name)
        return own

    def run(self) -> None:
        for module, tree in self.sources.items():
            for node in tree.body:
                if isinstance(node, ast.FunctionDef):
                    self.function(node, module, None)
                elif isinstance(node, ast.ClassDef):
                    for st in node.body:
                        if isinstance(st, ast.FunctionDef):
                            self.function(st, module, node.name)


def _check(sources: dict[str, str]) -> _Checker:
    checker = _Checker({name: ast.parse(text) for name, text in sources.items()})
    checker.run()
    return checker


def test_every_ortools_attribute_the_engine_uses_exists() -> None:
    sources = {p.name: p.read_text(encoding="utf-8") for p in sorted(ENGINE.glob("*.py"))}
    checker = _check(sources)
    assert checker.problems == []
    # the checker really saw the engine's OR-Tools calls, on both paths (so it cannot pass by
    # checking nothing): the linear solver of the large path's bound, CP-SAT's model, solver,
    # parameters, variables and constraints, and the solution callback
    seen = checker.checked
    assert {"NumVar", "Add", "Maximize", "Solve", "Objective"} <= seen["MPSolver"]
    assert {"new_bool_var", "new_int_var", "add", "maximize", "minimize", "add_hint", "clone"} <= seen[
        "CpModel"
    ]
    assert {"solve", "parameters", "boolean_value", "stop_search", "objective_value"} <= seen["CpSolver"]
    assert {"num_workers", "max_time_in_seconds", "random_seed", "subsolvers"} <= seen["SatParameters"]
    assert "only_enforce_if" in seen["Constraint"]
    assert {"objective_value", "stop_search"} <= seen["Callback"]
    assert "Value" in seen["MPObjective"]


def test_the_checker_catches_a_snake_case_call_on_the_linear_solver() -> None:
    code = (
        "from ortools.linear_solver import pywraplp\n"
        "from ortools.sat.python import cp_model\n"
        "def bound():\n"
        "    lp = pywraplp.Solver.CreateSolver('GLOP')\n"
        "    x = lp.NumVar(0, 1, 'x')\n"
        "    lp.add(x <= 1)\n"
        "    lp.maximize(x)\n"
        "    lp.Objective().value()\n"
        "def exact(solver: cp_model.CpSolver):\n"
        "    m = cp_model.CpModel()\n"
        "    b = m.new_boolean_var('b')\n"
        "    m.add(b == 1).enforce_if(b)\n"
        "    solver.parameters.num_wrkers = 2\n"
        "    return solver.solve_model(m)\n"
    )
    problems = _check({"bad.py": code}).problems
    assert problems == [
        "bad.py:6: MPSolver has no attribute 'add'",
        "bad.py:7: MPSolver has no attribute 'maximize'",
        "bad.py:8: MPObjective has no attribute 'value'",
        "bad.py:11: CpModel has no attribute 'new_boolean_var'",
        "bad.py:12: Constraint has no attribute 'enforce_if'",
        "bad.py:13: SatParameters has no attribute 'num_wrkers'",
        "bad.py:14: CpSolver has no attribute 'solve_model'",
    ]
