"""Issue 10.25 and 10.24: no assertion that cannot fail, and no test that skips in CI except
for a stated platform reason. Scans the test sources, so a new one is caught when written."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).parent
# Skips with a reason that is about the machine, not a missing tool. Each is (file, reason).
# None today: the last one (test_store's "root ignores file permissions") was rewritten.
ALLOWED_SKIPS: set[tuple[str, str]] = set()
PLATFORM_WORDS = ("sys.platform", "os.name", "platform.system")


def _calls(tree: ast.AST) -> list[ast.Call]:
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call)]


def _name(node: ast.AST) -> str:
    return ast.unparse(node)


def _files() -> list[Path]:
    return [p for p in TESTS.rglob("*.py") if p.name != Path(__file__).name]


def test_no_assertion_that_cannot_fail() -> None:
    offenders = []
    for path in _files():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Assert):
                continue
            test = node.test
            where = f"{path.relative_to(TESTS)}:{node.lineno}"
            if isinstance(test, ast.Constant) and test.value:
                offenders.append(f"{where} asserts a constant")
            if (
                isinstance(test, ast.Compare)
                and isinstance(test.ops[0], ast.IsNot)
                and _name(test.comparators[0]) == "None"
                and isinstance(test.left, ast.Call)
                and _name(test.left.func).endswith(("findChildren", "findall", "split", "list"))
            ):
                offenders.append(f"{where} asserts a list is not None")
    assert offenders == []


def test_no_skip_without_a_platform_reason() -> None:
    offenders = []
    for path in _files():
        tree = ast.parse(path.read_text("utf-8"))
        for call in _calls(tree):
            func = _name(call.func)
            if func not in {"pytest.skip", "pytest.importorskip", "pytest.mark.skip",
                            "pytest.mark.skipif", "pytest.xfail"}:  # fmt: skip
                continue
            reason = " ".join(
                a.value for a in [*call.args, *(k.value for k in call.keywords)]
                if isinstance(a, ast.Constant) and isinstance(a.value, str)
            )  # fmt: skip
            condition = _name(call.args[0]) if call.args and func.endswith("skipif") else ""
            rel = str(path.relative_to(TESTS))
            if (rel, reason) in ALLOWED_SKIPS or any(w in condition for w in PLATFORM_WORDS):
                continue
            offenders.append(f"{rel}:{call.lineno} {func}({reason!r})")
    assert offenders == []
