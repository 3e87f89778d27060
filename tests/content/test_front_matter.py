"""The front matter is read as PyYAML's safe loader reads it, with the line of every
field and item, in one walk of the composed nodes."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from toolkit.content.load import FRONT_FIRST_LINE, FRONT_MATTER, _fields_and_lines, _Loader

REPO = Path(__file__).resolve().parents[2]
ODD = [
    "title: x\nfull: yes\nshort: off\nempty:\ntilde: ~\nnull_word: null\n",
    "hotline: 02513456\ncode: 1.001190\npublish: 2021-02-15\ntime: 08:00\nratio: 1e3\n",
    "tags: [a, 'b c', \"d\"]\nonline: {url: 'https://x', full: true}\n",
    "steps:\n  - one\n  - two: 2\n    three: [3, 4]\n  -\n  - - nested\n",
    "'quoted key': 1\n\"double\": 2\n1: number key\ntrue: bool key\n",
    "text: !!str 123\nblob: !!binary aGVsbG8=\nset: !!set {a, b}\n",
    "pairs: !!omap [a: 1, b: 2]\nexplicit: !!int '7'\nflt: !!float 1.5\n",
    "<<: {a: 1}\nb: 2\n",
    "body: |\n  line one\n  line two\nfolded: >\n  a\n  b\n",
    "dup: 1\ndup: 2\n",
    "- a list\n- at the top\n",
    "just text\n",
]


def old_lines(node: yaml.Node, path: str, lines: dict[str, int]) -> None:
    """The lines as they were found before, in a walk of their own."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                where = f"{path}.{key.value}" if path else str(key.value)
                lines.setdefault(where, key.start_mark.line + FRONT_FIRST_LINE)
                old_lines(value, where, lines)
    elif isinstance(node, yaml.SequenceNode):
        for number, item in enumerate(node.value, start=1):
            where = f"{path}.{number}"
            lines.setdefault(where, item.start_mark.line + FRONT_FIRST_LINE)
            old_lines(item, where, lines)


def fronts() -> list[str]:
    sample = [FRONT_MATTER.match(p.read_text("utf-8")) for p in sorted(REPO.glob("content/*.md"))]
    return [*(m["yaml"] for m in sample if m), *ODD]


@pytest.mark.parametrize("front", fronts())
def test_fields_and_lines_are_pyyamls(front: str) -> None:
    expected = yaml.load(front, Loader=_Loader)  # _Loader is a safe loader
    lines: dict[str, int] = {}
    old_lines(yaml.compose(front, Loader=_Loader), "", lines)
    fields, found = _fields_and_lines(front)
    assert fields == expected
    assert [type(v) for v in _values(fields)] == [type(v) for v in _values(expected)]
    assert found == lines


def _values(value: object) -> list[object]:
    """Every value in `value`, depth first (so that 1 and True, equal in Python, differ)."""
    if isinstance(value, dict):
        return [value, *(v for k, x in value.items() for v in [k, *_values(x)])]
    if isinstance(value, list):
        return [value, *(v for x in value for v in _values(x))]
    return [value]
