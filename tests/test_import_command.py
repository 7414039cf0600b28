"""import_report checks a file's size before reading it; bad files get one clear line."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

OPTIONS = ["--country", "KZ", "--year", "2018", "--language", "kk", "--dry-run"]


def run_import(path):
    call_command("import_report", str(path), *OPTIONS, stdout=StringIO(), stderr=StringIO())


def test_a_file_over_the_limit_is_refused_before_any_byte_is_read(tmp_path, settings, monkeypatch):
    settings.REPORT_UPLOAD_MAX_BYTES = 20 * 2**20
    path = tmp_path / "huge.txt"
    with path.open("wb") as sparse:
        sparse.truncate(25 * 2**20)  # 25 MB on paper, no disk blocks written

    def refuse_to_open(self, *args, **kwargs):
        raise AssertionError(f"{self} was opened before its size was checked")

    monkeypatch.setattr(Path, "open", refuse_to_open)
    with pytest.raises(CommandError) as caught:
        run_import(path)
    assert str(caught.value) == "huge.txt is 25 MB, over the 20 MB upload limit"


def test_an_empty_file_is_refused_by_name(tmp_path):
    path = tmp_path / "empty.docx"
    path.touch()
    with pytest.raises(CommandError) as caught:
        run_import(path)
    assert str(caught.value) == "empty.docx is empty (0 bytes)"


def test_a_directory_is_reported_as_unreadable(tmp_path):
    folder = tmp_path / "reports.txt"
    folder.mkdir()
    folder.joinpath("inside.txt").write_text("text")
    with pytest.raises(CommandError, match=r"cannot read .*reports\.txt: Is a directory"):
        run_import(folder)
