"""What `import sfui` offers matches what docs/development.md documents, and the layers
keep to their places: data flows ui -> logic -> api. Nothing outside sfui/ui
imports Gradio, the logic never imports the UI, and the client (sfui/api)
imports nothing of the app."""

from __future__ import annotations

import ast
import inspect
import re
import subprocess
import sys
from pathlib import Path

import sfui
from sfui.api import errors

ROOT = Path(__file__).resolve().parent.parent
# docs/development.md shows the client at work and lists the events, errors and the rest.
DEVELOPMENT = (ROOT / "docs" / "development.md").read_text(encoding="utf-8")
HEADING = "## Using sfui from Python"


def section(text: str, heading: str) -> str:
    """From ``heading`` to the next level-2 heading (or the end of the text)."""
    start = text.index(heading)
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def python_section() -> str:
    """What docs/development.md's Python section documents."""
    return section(DEVELOPMENT, HEADING)


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
    assert "api.client" not in relative and "requests" not in imported_modules(ROOT / "sfui" / "chat.py")


def sfui_imports(path: Path) -> set[str]:
    """The sfui modules ``path`` imports, as absolute dotted names."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.split(".")[: len(package.split(".")) - node.level + 1]
            names.add(".".join([*base, *([node.module] if node.module else [])]))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sfui"):
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names if alias.name.startswith("sfui"))
    return names


def test_the_client_imports_nothing_of_the_app():
    api = list((ROOT / "sfui" / "api").glob("*.py"))
    assert len(api) >= 9
    outside = {str(p.relative_to(ROOT)): sorted(n for n in sfui_imports(p) if not n.startswith("sfui.api"))
               for p in api}
    assert {path: names for path, names in outside.items() if names} == {}
    assert all("gradio" not in imported_modules(p) for p in api)


def test_the_logic_never_imports_the_ui():
    logic = [p for p in (ROOT / "sfui").glob("*.py")]
    assert len(logic) >= 10
    upward = {str(p.relative_to(ROOT)): sorted(n for n in sfui_imports(p) if n.startswith("sfui.ui"))
              for p in logic}
    assert {path: names for path, names in upward.items() if names} == {}


def test_the_layer_check_sees_imports():
    # The checks above would pass on a scanner that found nothing: this one shows it finds.
    assert "sfui.api.messages" in sfui_imports(ROOT / "sfui" / "api" / "errors.py")
    assert "sfui.api.client" in sfui_imports(ROOT / "sfui" / "config.py")
    assert "sfui.chat_window" in sfui_imports(ROOT / "sfui" / "ui" / "chat_handlers.py")
