"""The layers the project keeps (`[tool.importlinter]` in pyproject.toml, checked by
`lint-imports` in `make test`) are the ones docs/architecture.md draws, and every package of
`civicplan` stands in one of them, so a new app cannot slip past the contract."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "civicplan"


def _contract(contract_id: str) -> dict:
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = settings["tool"]["importlinter"]["contracts"]
    return next(contract for contract in contracts if contract["id"] == contract_id)


def _layers() -> list[set[str]]:
    return [{name.strip() for name in row.split("|")} for row in _contract("layers")["layers"]]


def test_the_architecture_document_draws_the_contract() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    table = text.split("<!-- layers:begin -->", 1)[1].split("<!-- layers:end -->", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| `civicplan.")]
    drawn = [set(re.findall(r"`(civicplan[\w.]*)`", row.split(" | ", 1)[0])) for row in rows]
    assert drawn == _layers()


def test_every_package_stands_in_a_layer() -> None:
    packages = {
        f"civicplan.{path.name}"
        for path in PACKAGE.iterdir()
        if (path / "__init__.py").exists() or (path.suffix == ".py" and path.stem != "__init__")
    }
    packages = {name.removesuffix(".py") for name in packages}
    assert packages == set().union(*_layers())


def test_the_pure_libraries_are_in_the_bottom_layers() -> None:
    pure = set(_contract("pure")["source_modules"])
    layers = _layers()
    bottom = set().union(*layers[-3:])
    assert pure == bottom
