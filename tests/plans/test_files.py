"""Reading users' files and writing ours safely (issue 18, sections 1 and 2).

Each case reproduces a defect first seen by hand: a FIFO given as a plan hung for
ever, /dev/zero was read until memory ran out, ``--json /dev/full`` replaced the device
node as root, and a FIFO or a symlink given as an output was replaced too.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from plans.files import FILE_MODE, FileRefused, check_output, read_bytes, write_atomic

TIMEOUT = 20  # seconds: a read that hangs fails the test instead of the suite


def test_a_fifo_is_refused_at_once_instead_of_hanging(tmp_path):
    fifo = tmp_path / "plan.yaml"
    os.mkfifo(fifo)
    outcome: list[BaseException | bytes] = []
    reader = threading.Thread(target=lambda: outcome.append(_catch(fifo)), daemon=True)
    reader.start()
    reader.join(TIMEOUT)
    assert not reader.is_alive(), "reading a FIFO hung"
    assert isinstance(outcome[0], FileRefused) and "named pipe" in outcome[0].reason


def _catch(path: Path) -> BaseException | bytes:
    try:
        return read_bytes(path, 1000)
    except BaseException as exc:  # noqa: BLE001 - handed to the test thread
        return exc


def test_a_device_is_refused_not_read_until_memory_runs_out():
    with pytest.raises(FileRefused, match="device"):
        read_bytes("/dev/zero", 1000)


def test_size_limit_directory_and_missing_file(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a" * 1001)
    with pytest.raises(FileRefused, match="limit is 1,000"):
        read_bytes(big, 1000)
    assert read_bytes(big, 1001) == b"a" * 1001
    with pytest.raises(FileRefused, match="directory"):
        read_bytes(tmp_path, 1000)
    with pytest.raises(FileRefused, match="not found"):
        read_bytes(tmp_path / "nope", 1000)


def test_check_fifo_plan_on_the_command_line_exits_2_quickly(tmp_path):
    fifo = tmp_path / "plan.yaml"
    os.mkfifo(fifo)
    done = subprocess.run(
        [sys.executable, "-m", "drillsim", "check", str(fifo)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT * 3,
        env={**os.environ, "DRILLSIM_LANG": "en"},
    )
    assert done.returncode == 2, done.stderr
    said = done.stdout + done.stderr  # check lists each file's problems, then the verdict
    assert "named pipe" in said and str(fifo) in said
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("target", ["/dev/full", "/dev/null"])
def test_a_device_is_never_replaced(target):
    before = os.stat(target)
    with pytest.raises(FileRefused, match="device"):
        write_atomic(target, b"{}")
    after = os.stat(target)
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev


def test_fifo_symlink_folder_and_missing_folder_are_refused_before_any_work(tmp_path):
    fifo = tmp_path / "out.json"
    os.mkfifo(fifo)
    with pytest.raises(FileRefused, match="named pipe"):
        check_output(fifo)
    real = tmp_path / "real.json"
    real.write_text("keep")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    with pytest.raises(FileRefused, match="symbolic link"):
        write_atomic(link, b"new")
    assert real.read_text() == "keep" and link.is_symlink()
    with pytest.raises(FileRefused, match="directory"):
        check_output(tmp_path)
    with pytest.raises(FileRefused, match="does not exist"):
        check_output(tmp_path / "no" / "such.json")
    with pytest.raises(FileRefused, match="does not exist|not writable"):
        check_output("/proc/x.json")


def test_read_only_folder_is_refused(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root may write to any folder")
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(FileRefused, match="not writable"):
            check_output(folder / "x.json")
    finally:
        folder.chmod(0o700)


def test_write_replaces_a_regular_file_with_one_mode_and_leaves_no_temporary(tmp_path):
    out = tmp_path / "journal.json"
    out.write_text("old")
    out.chmod(0o600)
    write_atomic(out, b"new")
    umask = os.umask(0)
    os.umask(umask)
    assert out.read_bytes() == b"new"
    assert stat.S_IMODE(out.stat().st_mode) == FILE_MODE & ~umask
    assert [p.name for p in tmp_path.iterdir()] == ["journal.json"]


def test_a_failed_write_removes_its_temporary_and_keeps_the_old_file(tmp_path, monkeypatch):
    out = tmp_path / "journal.json"
    out.write_text("old")

    def broken(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError, match="No space"):
        write_atomic(out, b"new")
    assert out.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["journal.json"]


def test_two_writers_to_one_path_do_not_collide(tmp_path):
    out = tmp_path / "report.md"
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for i in range(30):
                write_atomic(out, f"writer {n} round {i}\n".encode() * 200)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(TIMEOUT * 3)
    assert not errors
    text = out.read_text()
    first = text.splitlines()[0]
    assert text == (first + "\n") * 200  # one writer's whole file, never a mix
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]
