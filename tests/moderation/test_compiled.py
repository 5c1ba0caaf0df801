"""The moderation tests run twice in `make test`: on the pure modules and on a copy compiled by mypyc
(setup.py, as production images run it). Each run must be testing the build it says it tests."""
from __future__ import annotations

import ast
import importlib
import os
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest


def _setup_pipeline() -> tuple[str, ...]:
    """setup.py's PIPELINE, read without running setup.py (importing it would run setup())."""
    tree = ast.parse((Path(__file__).resolve().parents[2] / "setup.py").read_text())
    [value] = [node.value for node in tree.body if isinstance(node, ast.Assign)
               and any(isinstance(target, ast.Name) and target.id == "PIPELINE" for target in node.targets)]
    return tuple(ast.literal_eval(value))


@pytest.mark.parametrize("name", _setup_pipeline())
def test_each_pipeline_module_is_the_build_under_test(name: str) -> None:
    module = importlib.import_module(f"server.moderation.{name}")
    compiled = str(module.__file__).endswith(tuple(EXTENSION_SUFFIXES))
    assert compiled == (os.environ.get("PEERCHAT_EXPECT_COMPILED") == "1"), module.__file__
