"""bench/same_outputs.py: the comparison of two outboxes, on small handmade folders.

The script's full run builds the sample twice (a minute or more with video), so
these tests check only its comparison: equal bytes, one byte changed, a file on
one side only, and a manifest whose `inputs` changed while its items did not.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "bench" / "same_outputs.py"


@pytest.fixture(scope="module")
def script() -> ModuleType:
    """bench/same_outputs.py loaded as a module (bench/ is not a package)."""
    spec = importlib.util.spec_from_file_location("same_outputs", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def manifest(channel: str, inputs: str, *files: tuple[str, bytes]) -> bytes:
    """A manifest.json as the outbox writes it, listing `files` with `inputs`."""
    items = [{"unit": None, "path": path, "sha256": hashlib.sha256(data).hexdigest(),
              "bytes": len(data), "inputs": inputs} for path, data in files]
    return json.dumps({"channel": channel, "items": items}, ensure_ascii=False).encode()


def write(outbox: Path, files: dict[str, bytes]) -> Path:
    """An outbox folder holding `files` (relative POSIX path -> bytes)."""
    for path, data in files.items():
        target = outbox / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return outbox


def sample(inputs: str = "aaaa") -> dict[str, bytes]:
    """A small outbox: a feed with its manifest, and an SMS list with its manifest."""
    feed, csv = b"<rss>tin</rss>", "id,text\nx,Tổng đài 1022\n".encode()
    return {"rss/feed.xml": feed, "rss/manifest.json": manifest("rss", inputs, ("feed.xml", feed)),
            "sms/messages.csv": csv,
            "sms/manifest.json": manifest("sms", inputs, ("messages.csv", csv))}


def by_channel(results: list[Any]) -> dict[str, Any]:
    """The results of a comparison by channel name."""
    return {r.channel: r for r in results}


def test_equal_outboxes_are_equal(script: ModuleType, tmp_path: Path) -> None:
    results = script.compare_outboxes(write(tmp_path / "a", sample()),
                                      write(tmp_path / "b", sample()))
    assert [(r.channel, r.compared, r.equal, r.ok) for r in results] == [
        ("rss", 2, 2, True), ("sms", 2, 2, True)]


def test_one_byte_different_is_named(script: ModuleType, tmp_path: Path) -> None:
    changed = sample() | {"rss/feed.xml": b"<rss>tim</rss>"}
    results = by_channel(script.compare_outboxes(write(tmp_path / "a", sample()),
                                                 write(tmp_path / "b", changed)))
    rss = results["rss"]
    assert (rss.compared, rss.equal, rss.different, rss.ok) == (2, 1, ["rss/feed.xml"], False)
    assert results["sms"].ok


def test_a_file_on_one_side_only_is_missing(script: ModuleType, tmp_path: Path) -> None:
    fewer = {k: v for k, v in sample().items() if k != "sms/messages.csv"}
    more = sample() | {"print/x/x-leaflet.pdf": b"%PDF-1.4"}
    results = by_channel(script.compare_outboxes(write(tmp_path / "a", fewer),
                                                 write(tmp_path / "b", more)))
    assert results["sms"].missing_before == ["sms/messages.csv"]
    assert results["print"].missing_after == []
    assert results["print"].missing_before == ["print/x/x-leaflet.pdf"]
    assert results["rss"].ok and not results["sms"].ok and not results["print"].ok

    reverse = by_channel(script.compare_outboxes(tmp_path / "b", tmp_path / "a"))
    assert reverse["sms"].missing_after == ["sms/messages.csv"]


def test_manifest_inputs_may_change_but_not_its_items(script: ModuleType,
                                                      tmp_path: Path) -> None:
    before = write(tmp_path / "a", sample(inputs="aaaa"))
    after = write(tmp_path / "b", sample(inputs="bbbb"))
    assert (before / "rss/manifest.json").read_bytes() != (after / "rss/manifest.json").read_bytes()
    assert all(r.ok for r in script.compare_outboxes(before, after))

    listed = json.loads((after / "rss/manifest.json").read_bytes())
    listed["items"][0]["bytes"] += 1
    (after / "rss/manifest.json").write_text(json.dumps(listed))
    results = by_channel(script.compare_outboxes(before, after))
    assert results["rss"].different == ["rss/manifest.json"]


def test_manifest_items_in_another_order_are_equal(script: ModuleType, tmp_path: Path) -> None:
    files = [("a.pdf", b"1"), ("b.pdf", b"2")]
    before = write(tmp_path / "a", {"print/manifest.json": manifest("print", "x", *files)})
    after = write(tmp_path / "b", {"print/manifest.json": manifest("print", "y", *files[::-1])})
    assert all(r.ok for r in script.compare_outboxes(before, after))


def test_a_missing_outbox_is_every_file_missing(script: ModuleType, tmp_path: Path) -> None:
    results = script.compare_outboxes(write(tmp_path / "a", sample()), tmp_path / "none")
    assert sum(len(r.missing_after) for r in results) == 4
    assert not any(r.ok for r in results)
