"""The moderation tests run twice in `make test`: on the pure modules and on a copy compiled by mypyc
(setup.py, as production images run it). Each run must be testing the build it says it tests."""
from __future__ import annotations

import importlib
import os
from importlib.machinery import EXTENSION_SUFFIXES

import pytest

SETUP_PIPELINE = (  # setup.py's PIPELINE, which this test keeps honest
    "pipeline", "normalize", "wordshape", "profanity", "phrases", "crisis", "abuse", "confidentiality",
    "addresses", "flood", "verdict", "multiscan", "watched",
)


@pytest.mark.parametrize("name", SETUP_PIPELINE)
def test_each_pipeline_module_is_the_build_under_test(name: str) -> None:
    module = importlib.import_module(f"server.moderation.{name}")
    compiled = str(module.__file__).endswith(tuple(EXTENSION_SUFFIXES))
    assert compiled == (os.environ.get("PEERCHAT_EXPECT_COMPILED") == "1"), module.__file__
