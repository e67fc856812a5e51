"""Cut the test fixture tests/fixtures/cow_igo_sample.csv from the COW IGO file this
repository keeps (seed/cow-igo-v3/): a handful of IGOs and states, rows unchanged. Kept so the
fixture can be made again:

    python seed/tools/cut_cow_fixture.py
"""

from __future__ import annotations

import csv
import gzip
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.services.cow_igo.dataset import BUNDLED, META_COLUMNS

IGOS = {
    "4410": "UNESCO: US conflict with the seed, USSR, East Germany, within 5 years, imputed",
    "4430": "UPU: Russia -> USSR -> Russia (one COW state, three ISO periods)",
    "3180": "International Tin Council: dissolved IGO; acronym shared with a seed organization",
    "750": "ASEAN: observers",
    "530": "Arctic Council: an observer that stops being one",
    "1750": "European Payments Union: dissolved before 1965",
}
STATES = [
    "usa", "russia", "egermany", "germany", "wgermany", "czechoslovakia", "czechrep",
    "yugoslaviaserb", "nyemen", "syemen", "yemen", "china", "jordan", "france", "uk",
    "papuanewguinea", "etimor", "svietnam", "austriahungary",
]  # fmt: skip
TARGET = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "cow_igo_sample.csv"


def main(source: Path) -> None:
    with gzip.open(source, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = [f for f in reader.fieldnames or () if f in STATES or f in META_COLUMNS]
        rows = [row for row in reader if row["ionum"] in IGOS]
    with TARGET.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} rows of {len(IGOS)} IGOs -> {TARGET}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else BUNDLED)
