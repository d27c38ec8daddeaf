"""What `import sfui` offers matches what the README documents, and the layers
keep to their places: nothing below sfui/ui imports Gradio."""

from __future__ import annotations

import ast
import inspect
import re
import subprocess
import sys
from pathlib import Path

import sfui
from sfui import errors

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def python_section() -> str:
    start = README.index("## Using sfui from Python")
    return README[start : README.index("\n## ", start + 1)]


def test_every_name_the_python_section_documents_is_importable_from_sfui():
    section = python_section()
    imported = {name.strip() for line in re.findall(r"from sfui import ([^\n]+)", section) for name in line.split(",")}
    named = set(re.findall(r"`([A-Z][A-Za-z]+)`", section))
    documented = imported | named
    assert {"SiliconFlowClient", "RateLimitError", "StreamError", "ToolCallDelta"} <= documented  # the scan works
    missing = sorted(name for name in documented if not hasattr(sfui, name))
    assert missing == [], f"documented but not importable from sfui: {missing}"


def test_every_error_class_is_exported():
    classes = {name for name, obj in inspect.getmembers(errors, inspect.isclass)
               if issubclass(obj, errors.SiliconFlowError)}
    assert classes <= set(sfui.__all__), sorted(classes - set(sfui.__all__))
    assert all(hasattr(sfui, name) for name in sfui.__all__)


def test_import_sfui_does_not_import_gradio():
    code = "import sys, sfui; print('gradio' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_only_the_ui_package_imports_gradio():
    below_ui = [p for p in (ROOT / "sfui").rglob("*.py") if "ui" not in p.relative_to(ROOT / "sfui").parts[:1]]
    assert len(below_ui) >= 10
    offenders = [str(p.relative_to(ROOT)) for p in below_ui if "gradio" in imported_modules(p)]
    assert offenders == []


def test_chat_logic_does_not_import_the_http_client():
    source = (ROOT / "sfui" / "chat.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    relative = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level == 1}
    assert "client" not in relative and "requests" not in imported_modules(ROOT / "sfui" / "chat.py")
