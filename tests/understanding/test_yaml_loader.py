"""The knowledge files read through libyaml (bot/yaml_loader.py) give the objects of yaml.safe_load."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.yaml_loader import LOADER, load_yaml

ROOT = Path(__file__).resolve().parents[2]


def test_every_knowledge_file_reads_as_with_the_pure_python_parser() -> None:
    files = sorted((ROOT / "knowledge").rglob("*.yaml"))
    assert len(files) > 40
    for path in files:
        text = path.read_text(encoding="utf-8")
        fast, slow = load_yaml(text), yaml.safe_load(text)
        assert fast == slow, path.name
        assert repr(fast) == repr(slow), path.name  # the same types too (1 vs 1.0 vs '1', dates)


def test_the_loader_is_a_safe_one() -> None:
    assert issubclass(LOADER, yaml.constructor.SafeConstructor)
    with pytest.raises(yaml.YAMLError):
        load_yaml("!!python/object/apply:os.system ['true']")
    with pytest.raises(yaml.YAMLError):
        load_yaml("a: [1, 2\nb: 3")
