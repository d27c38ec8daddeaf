"""Test support shared by tests/ and bench/: the fake SiliconFlow server
(:mod:`.sfserver`), launching the app in-process (:mod:`.launch`), its public
API as a gradio_client user calls it (:mod:`.api`), Chromium and a browser
visitor (:mod:`.browser`), the page object every browser test and bench script
drives the app through (:mod:`.page`: its selectors, actions and the one wait),
and running a coroutine from a sync test (:mod:`.asyncutil`).

Importing any of these changes nothing: no environment variable is set and
nothing is patched. A process that wants the tests' environment calls
:func:`.launch.isolate_environment` and :func:`.launch.patient_launch_check`
itself (tests/conftest.py does, at start-up).
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent  # the repository
TEST_KEY = "sk-test-0123456789"  # the key the fake server expects by default

__all__ = ["ROOT", "TEST_KEY"]
