import gzip
from pathlib import Path

import pytest

from app.services.cow_igo.dataset import BUNDLED, DatasetError, read_igos
from tests.services.cow_igo.helpers import SAMPLE


def test_reads_each_igo_with_its_states_as_runs() -> None:
    igos = {i.ionum: i for i in read_igos(SAMPLE)}
    unesco = igos["4410"]
    assert (unesco.ioname, unesco.founded_year, unesco.dissolved_year) == ("UNESCO", 1945, None)
    assert unesco.accuracy_pre1965 == "Within 5 years"
    assert [(r.first, r.last, r.code) for r in unesco.series["usa"]] == [
        (1945, 1984, 1),
        (1985, 2014, 0),
    ]
    assert igos["3180"].dissolved_year == 1990
    assert igos["4410"].social and not igos["4410"].economic


def test_reads_the_gzipped_file_as_it_is(tmp_path: Path) -> None:
    packed = tmp_path / "igo.csv.gz"
    packed.write_bytes(gzip.compress(SAMPLE.read_bytes()))
    plain = [(i.ionum, i.series) for i in read_igos(SAMPLE)]
    assert [(i.ionum, i.series) for i in read_igos(packed)] == plain
    broken = tmp_path / "broken.csv.gz"
    broken.write_bytes(b"not gzip")
    with pytest.raises(DatasetError, match=r"broken\.csv\.gz"):
        list(read_igos(broken))


def test_the_whole_dataset_is_in_the_repository() -> None:
    first = next(read_igos(BUNDLED))
    assert first.ioname and first.series  # the gzipped file reads; the import test loads all


def _write(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "igo.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


HEADER = "ioname,orgname,year,usa,sdate,deaddate,ionum"


def test_refuses_a_file_that_is_not_the_wide_format(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="missing"):
        list(read_igos(_write(tmp_path, ["country,year", "US,1990"])))


def test_refuses_unknown_codes_and_scattered_rows(tmp_path: Path) -> None:
    bad_code = _write(tmp_path, [HEADER, "A,Alpha,1990,7,1990,,1"])
    with pytest.raises(DatasetError, match="line 2: unknown status code 7"):
        list(read_igos(bad_code))
    scattered = _write(
        tmp_path,
        [HEADER, "A,Alpha,1990,1,1990,,1", "B,Beta,1990,1,1990,,2", "A,Alpha,1991,1,1990,,1"],
    )
    with pytest.raises(DatasetError, match="not together"):
        list(read_igos(scattered))
    short = _write(tmp_path, [HEADER, "A,Alpha,1990"])
    with pytest.raises(DatasetError, match="3 fields"):
        list(read_igos(short))
