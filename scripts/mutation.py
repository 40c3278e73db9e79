#!/usr/bin/env python3
"""Mutation testing of the correctness core: one small change at a time, then that module's tests.

Usage: scripts/mutation.py [MODULE ...] [--lines A-B,C] [--list] [--timeout S] [--fresh]
(MODULE is a path from `MODULES` or a part of one, e.g. `grading`.)

Each mutant is one change in the module's syntax tree (a flipped comparison, `and`/`or`, a
condition forced to True or False or negated, a number moved by one, True/False swapped, a
return value dropped, `+`/`-` swapped, SQLAlchemy's `is_`/`is_not` and `and_`/`or_` swapped),
run against the module's mapped tests on SQLite with `pytest -x -q -p no:cacheprovider`. A
failing (or timed out) run kills the mutant.

How a mutant runs: one interpreter imports the app once; for each mutant a forked child execs the
mutated source into the imported module and gives the module's existing function objects the
mutated code (so every `from ... import f` elsewhere sees it too) and rebinds the module's
constants that other modules imported by name, then runs pytest in-process
(about 10 times faster than a new interpreter per mutant). The file on disk is never changed.
With --fresh, each mutant is instead written over the file and a new pytest process runs; the
original is put back after every mutant, whatever happens (try/finally; Ctrl-C and SIGTERM
included). Stdlib only.

Mutants judged equivalent (no test can tell them apart) are listed in
`scripts/mutation_equivalent.txt` as `path || line text || mutation || reason`, matched by the
line's text so that the list survives edits elsewhere in the file.
"""

from __future__ import annotations

import argparse
import ast
import copy
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import types
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENT_FILE = ROOT / "scripts" / "mutation_equivalent.txt"

#: Each core module and the few fast test files that must notice any change to it.
MODULES: dict[str, list[str]] = {
    "lms/quiz/grading.py": [
        "tests/quiz/test_grading_moodle.py",
        "tests/quiz/test_grading.py",
    ],
    "lms/permissions.py": [
        "tests/test_permissions_discussions.py",
        "tests/test_permissions.py",
    ],
    "lms/learn/progress.py": ["tests/test_completion.py"],
    "lms/cohorts/member_status.py": ["tests/test_member_status.py"],
    "lms/auth/nip.py": ["tests/test_nip.py"],
    "lms/assessment/attempts.py": [
        "tests/test_attempt_rules.py",
        "tests/test_quiz_attempts.py",
    ],
    "lms/content/sync.py": [
        "tests/test_import.py",
        "tests/test_import_sync.py",
        "tests/test_survey_completion.py",
    ],
}

SWAP_COMPARE = {
    ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Lt: ast.LtE, ast.LtE: ast.Lt,
    ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Is: ast.IsNot, ast.IsNot: ast.Is,
    ast.In: ast.NotIn, ast.NotIn: ast.In,
}  # fmt: skip
SWAP_NAME = {"and_": "or_", "or_": "and_"}
SWAP_ATTR = {"is_": "is_not", "is_not": "is_"}


@dataclass
class Mutant:
    """One single-point change: where, what it was and what it becomes."""

    index: int
    line: int
    before: str
    after: str

    def describe(self) -> str:
        """Return `before -> after`, shortened for a terminal."""
        return f"{_short(self.before)}  ->  {_short(self.after)}"


def _short(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."


def _skipped(tree: ast.Module) -> set[int]:
    """Return ids of nodes not worth mutating: docstrings, annotations, `__all__`."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            if isinstance(body[0].value, ast.Constant) and isinstance(
                body[0].value.value, str
            ):
                skip.add(id(body[0]))
        for annotation in _annotations(node):
            skip.update(id(n) for n in ast.walk(annotation))
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            skip.update(id(n) for n in ast.walk(node))
    return skip


def _annotations(node: ast.AST) -> list[ast.AST]:
    if isinstance(node, ast.AnnAssign):
        return [node.annotation]
    if isinstance(node, ast.arg) and node.annotation is not None:
        return [node.annotation]
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.returns:
        return [node.returns]
    return []


def _points(tree: ast.Module):
    """Yield (line, focus node, change) for every mutation point, in a fixed order.

    `change(node)` mutates the focus node (a deep copy of the tree is passed in) or returns a
    replacement for it.
    """
    skip = _skipped(tree)
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Compare):
            for i, op in enumerate(node.ops):
                if type(op) in SWAP_COMPARE:
                    yield line, node, _set_op(i, SWAP_COMPARE[type(op)])
        elif isinstance(node, ast.BoolOp):
            other = ast.Or if isinstance(node.op, ast.And) else ast.And
            yield line, node, _set_attr("op", other())
            for i in range(len(node.values)):
                yield line, node, _drop_value(i)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            yield line, node, lambda n: n.operand
        elif (
            isinstance(node, ast.BinOp)
            and isinstance(node.op, ast.Add | ast.Sub)
            or isinstance(node, ast.AugAssign)
            and isinstance(node.op, ast.Add | ast.Sub)
        ):
            other = ast.Sub if isinstance(node.op, ast.Add) else ast.Add
            yield line, node, _set_attr("op", other())
        elif isinstance(node, ast.Constant):
            if isinstance(node.value, bool):
                yield line, node, _set_attr("value", not node.value)
            elif isinstance(node.value, int | float):
                yield line, node, _set_attr("value", node.value + 1)
                yield line, node, _set_attr("value", node.value - 1)
        elif isinstance(node, ast.Name) and node.id in SWAP_NAME:
            yield line, node, _set_attr("id", SWAP_NAME[node.id])
        elif isinstance(node, ast.Attribute) and node.attr in SWAP_ATTR:
            yield line, node, _set_attr("attr", SWAP_ATTR[node.attr])
        elif isinstance(node, ast.Return) and node.value is not None:
            if not (isinstance(node.value, ast.Constant) and node.value.value is None):
                yield line, node, _set_attr("value", None)
        if isinstance(node, ast.If | ast.While | ast.IfExp):
            test = node.test
            if not isinstance(test, ast.Constant):
                yield test.lineno, test, lambda n: ast.Constant(True)
                yield test.lineno, test, lambda n: ast.Constant(False)
                if not _negated_elsewhere(test):
                    yield test.lineno, test, lambda n: ast.UnaryOp(ast.Not(), n)
        if isinstance(node, ast.comprehension):
            for cond in node.ifs:
                yield cond.lineno, cond, lambda n: ast.Constant(True)
                yield cond.lineno, cond, lambda n: ast.UnaryOp(ast.Not(), n)


def _negated_elsewhere(test: ast.AST) -> bool:
    """Tell whether negating this condition would repeat another mutant (`not x`, `a == b`)."""
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return True
    return (
        isinstance(test, ast.Compare)
        and len(test.ops) == 1
        and type(test.ops[0]) in SWAP_COMPARE
    )


def _set_op(i, op_type):
    def change(node):
        node.ops[i] = op_type()

    return change


def _set_attr(name, value):
    def change(node):
        setattr(node, name, value)

    return change


def _drop_value(i):
    """Drop one operand of an `and`/`or` (the rest keep their order)."""

    def change(node):
        rest = node.values[:i] + node.values[i + 1 :]
        return rest[0] if len(rest) == 1 else ast.BoolOp(node.op, rest)

    return change


def mutants(source: str) -> list[Mutant]:
    """Return every mutant of the source, numbered in a fixed order."""
    tree = ast.parse(source)
    found = []
    for index, (line, node, change) in enumerate(_points(tree)):
        before = ast.unparse(node)
        probe = copy.deepcopy(node)
        replaced = change(probe)
        after = ast.unparse(replaced if replaced is not None else probe)
        if before != after:
            found.append(Mutant(index, line, before, after))
    return found


def mutated_source(source: str, index: int) -> str:
    """Return the module's source with mutant `index` applied (as unparsed Python)."""
    tree = ast.parse(source)
    for i, (_line, node, change) in enumerate(_points(tree)):
        if i != index:
            continue
        replaced = change(node)
        if replaced is not None:
            _replace(tree, node, replaced)
        return ast.unparse(ast.fix_missing_locations(tree)) + "\n"
    raise IndexError(index)


def _replace(tree: ast.AST, old: ast.AST, new: ast.AST) -> None:
    """Put `new` where `old` is in the tree."""
    for parent in ast.walk(tree):
        for name, value in ast.iter_fields(parent):
            if value is old:
                setattr(parent, name, new)
                return
            if isinstance(value, list):
                for i, item in enumerate(value):
                    if item is old:
                        value[i] = new
                        return
    raise ValueError("node not found")


def load_equivalent() -> list[tuple[str, str, str, str]]:
    """Read the mutants judged equivalent: (path, line text, mutation, reason)."""
    rows = []
    if EQUIVALENT_FILE.exists():
        for raw in EQUIVALENT_FILE.read_text().splitlines():
            if raw.strip() and not raw.startswith("#"):
                path, text, mutation, reason = (p.strip() for p in raw.split(" || ", 3))
                rows.append((path, text, mutation, reason))
    return rows


def run_tests(
    tests: list[str], timeout: float, env_extra: dict | None = None
) -> tuple[bool, float]:
    """Run the tests in a fresh interpreter on SQLite; return (passed, seconds).

    A timeout counts as a failure (the mutant is killed).
    """
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(env_extra or {})
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    cmd = [sys.executable, "-m", "pytest", *PYTEST_ARGS, *tests]
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
    try:
        code = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        return False, time.monotonic() - start
    except BaseException:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        raise
    return code == 0, time.monotonic() - start


PYTEST_ARGS = ["-x", "-q", "-p", "no:cacheprovider"]


def _module_name(path: str) -> str:
    return path.removesuffix(".py").replace("/", ".")


def _functions(module) -> dict[str, object]:
    """Return the plain functions defined in `module`, by qualified name (decorators unwrapped)."""
    found = {}

    def add(obj):
        while hasattr(obj, "__wrapped__"):
            obj = obj.__wrapped__
        if isinstance(obj, types.FunctionType) and obj.__module__ == module.__name__:
            found[obj.__qualname__] = obj

    for value in list(vars(module).values()):
        if isinstance(value, type) and value.__module__ == module.__name__:
            for attr in vars(value).values():
                if isinstance(attr, property):
                    for fn in (attr.fget, attr.fset):
                        add(fn)
                elif isinstance(attr, staticmethod | classmethod):
                    add(attr.__func__)
                else:
                    add(attr)
        else:
            add(value)
    return found


def _swap_in(module, mutated: str) -> None:
    """Make the imported `module` run the mutated source: same function objects, new code."""
    before = _functions(module)
    classes = {k: v for k, v in vars(module).items()
               if isinstance(v, type) and v.__module__ == module.__name__}  # fmt: skip
    values = {k: v for k, v in vars(module).items() if not k.startswith("__")
              and not isinstance(v, type | types.FunctionType | types.ModuleType)}  # fmt: skip
    exec(compile(mutated, module.__file__, "exec"), vars(module))  # noqa: S102
    after = _functions(module)
    for name, old in before.items():
        new = after[name]
        old.__code__ = new.__code__
        old.__defaults__, old.__kwdefaults__ = new.__defaults__, new.__kwdefaults__
    vars(module).update(classes)  # others hold the old classes (isinstance, except)
    # Constants built at import (a number, a SQL statement) that other modules imported by name.
    for name, old in values.items():
        new = vars(module).get(name)
        if new is not old:
            for other in list(sys.modules.values()):
                if other is not module and getattr(other, name, None) is old:
                    setattr(other, name, new)


class ForkRunner:
    """Run the tests in children forked from one interpreter that imported the app once."""

    def __init__(self, path: str, workdir: Path):
        import importlib
        import importlib.metadata
        import pkgutil

        os.environ.pop("DATABASE_URL", None)
        os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
        sys.dont_write_bytecode = True
        if str(ROOT) not in sys.path:
            sys.path.insert(0, str(ROOT))
        import pytest  # noqa: F401

        import lms

        for info in pkgutil.walk_packages(lms.__path__, "lms."):
            importlib.import_module(info.name)
        for plugin in importlib.metadata.entry_points(group="pytest11"):
            importlib.import_module(plugin.module)  # each child only registers them
        self.module = importlib.import_module(_module_name(path))
        self.pristine = workdir / "pristine.sqlite3"
        self.database = workdir / "mutant.sqlite3"
        self._migrate()

    def _migrate(self) -> None:
        """Migrate one SQLite database in a child, copied fresh for every mutant."""

        def migrate():
            from flask_migrate import upgrade

            from lms import create_app
            from lms.extensions import db

            app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{self.pristine}",
                              "TESTING": True})  # fmt: skip
            with app.app_context():
                upgrade()
                db.engine.dispose()

        if not self._fork(migrate, 600)[0]:
            sys.exit("could not migrate the mutation database")

    def run(
        self, tests: list[str], timeout: float, mutated: str | None
    ) -> tuple[bool, float]:
        """Run the tests with the mutated source swapped in (None: the original)."""

        def body():
            if mutated is not None:
                _swap_in(self.module, mutated)
            shutil.copyfile(self.pristine, self.database)
            os.environ["DATABASE_URL"] = f"sqlite:///{self.database}"
            import pytest

            return pytest.main(
                [
                    *PYTEST_ARGS,
                    "-W",
                    "ignore::pytest.PytestAssertRewriteWarning",
                    *tests,
                ]
            )

        return self._fork(body, timeout)

    def _fork(self, body, timeout: float) -> tuple[bool, float]:
        start = time.monotonic()
        pid = os.fork()
        if pid == 0:
            code = 99
            try:
                os.setpgid(0, 0)
                null = os.open(os.devnull, os.O_WRONLY)
                os.dup2(null, 1)
                os.dup2(null, 2)
                os.chdir(ROOT)
                code = int(body() or 0)
            finally:
                os._exit(code)
        try:
            while time.monotonic() - start < timeout:
                done, status = os.waitpid(pid, os.WNOHANG)
                if done:
                    return os.waitstatus_to_exitcode(
                        status
                    ) == 0, time.monotonic() - start
                time.sleep(0.02)
            os.killpg(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return False, time.monotonic() - start
        except BaseException:
            os.killpg(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise


def mutate_module(
    path: str, tests: list[str], lines, listing: bool, timeout, fresh=False
) -> dict:
    """Run every mutant of one module; print survivors; return the counts."""
    target = ROOT / path
    source = target.read_text()
    stat = target.stat()
    source_lines = source.splitlines()
    found = [m for m in mutants(source) if lines is None or m.line in lines]
    if listing:
        for m in found:
            print(f"{path}:{m.line}: {m.describe()}")
        return {}
    missing = [t for t in tests if not (ROOT / t).exists()]
    if missing:
        sys.exit(f"{path}: mapped test files missing: {', '.join(missing)}")
    with tempfile.TemporaryDirectory(prefix="mutation-") as workdir:
        runner = ForkRunner(path, Path(workdir))
        ok, baseline = runner.run(tests, 600, None)
        if not ok:
            sys.exit(f"{path}: the tests fail before any mutation; fix them first")
        limit = timeout or max(20.0, 4 * baseline)
        print(f"== {path}: {len(found)} mutants, tests {baseline:.1f}s, timeout {limit:.0f}s",
              flush=True)  # fmt: skip
        equivalent = load_equivalent()
        survivors, killed, judged_equivalent = [], 0, []
        try:
            for m in found:
                mutated = mutated_source(source, m.index)
                if fresh:  # written over the file, read by a new interpreter
                    target.write_text(mutated)
                    try:
                        passed, _took = run_tests(tests, max(limit, 60.0))
                    finally:
                        target.write_text(source)
                        os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
                else:
                    passed, _took = runner.run(tests, limit, mutated)
                if not passed:
                    killed += 1
                    print(".", end="", flush=True)
                    continue
                print(flush=True)
                text = source_lines[m.line - 1].strip()
                reason = next((r for p, t, mut, r in equivalent
                               if p == path and t == text and mut == m.describe()), None)  # fmt: skip
                if reason is not None:
                    judged_equivalent.append((m, reason))
                    print(
                        f"   equivalent {path}:{m.line}: {m.describe()}  ({reason})",
                        flush=True,
                    )
                else:
                    survivors.append(m)
                    print(f"   SURVIVED   {path}:{m.line}: {m.describe()}", flush=True)
                    print(f"              line: {text}", flush=True)
        finally:
            if target.read_text() != source:  # never written in fork mode; make sure
                target.write_text(source)
                os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    counted = len(found) - len(judged_equivalent)
    score = 100.0 * killed / counted if counted else 100.0
    print(f"-- {path}: killed {killed} / {len(found)}, equivalent {len(judged_equivalent)}, "
          f"survived {len(survivors)}, score {score:.1f}%", flush=True)  # fmt: skip
    return {"path": path, "total": len(found), "killed": killed,
            "equivalent": len(judged_equivalent), "survived": len(survivors), "score": score}  # fmt: skip


def _line_set(text: str) -> set[int]:
    """Read `42-49,96` as a set of line numbers."""
    lines: set[int] = set()
    for part in text.split(","):
        low, _, high = part.partition("-")
        lines.update(range(int(low), int(high or low) + 1))
    return lines


def _interrupted(_signum, _frame):
    raise KeyboardInterrupt


def main() -> None:
    """Parse the arguments and mutate the chosen modules, one after another."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="module paths (or parts of them)")
    parser.add_argument("--lines", help="only mutants on these lines: A-B,C,...")
    parser.add_argument(
        "--list", action="store_true", help="list the mutants, run nothing"
    )
    parser.add_argument("--timeout", type=float, help="seconds per mutant")
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="write each mutant over the file and run a new pytest (slow)",
    )
    args = parser.parse_args()
    signal.signal(
        signal.SIGTERM, _interrupted
    )  # `kill` restores the file as Ctrl-C does
    chosen = [
        p for p in MODULES if not args.modules or any(a in p for a in args.modules)
    ]
    if not chosen:
        sys.exit(f"no module matches {args.modules}; known: {', '.join(MODULES)}")
    lines = _line_set(args.lines) if args.lines else None
    results = [mutate_module(p, MODULES[p], lines, args.list, args.timeout, args.fresh)
               for p in chosen]  # fmt: skip
    if args.list:
        return
    print("\n| module | killed | total | equivalent | survived | score |")
    print("|---|---|---|---|---|---|")
    for r in results:
        print(f"| `{r['path']}` | {r['killed']} | {r['total']} | {r['equivalent']} | "
              f"{r['survived']} | {r['score']:.1f}% |")  # fmt: skip


if __name__ == "__main__":
    main()
