"""A large valid data set in the real file format, made from the small test set's therapies
(copied under new ids), for the responsiveness tests."""

from __future__ import annotations

from pathlib import Path

from tui_helpers import SMALL, TODAY

from regen_compare.data.load import load_catalog
from regen_compare.data.writing import catalog_files
from regen_compare.model.catalog import Catalog


def write_big(folder: Path, therapy_count: int) -> Path:
    base = load_catalog(SMALL, today=TODAY).catalog
    seeds = list(base.therapies.values())
    therapies = list(seeds)
    for i in range(therapy_count - len(seeds)):
        seed = seeds[i % len(seeds)]
        therapies.append(
            seed.model_copy(update={"id": f"{seed.id}-copy-{i:05d}", "name": f"{seed.name} #{i}"})
        )
    catalog = Catalog.build(list(base.conditions.values()), therapies, list(base.payers.values()))
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in catalog_files(catalog).items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder
