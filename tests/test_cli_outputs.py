"""Outputs that cannot harm (issue 18, section 2), through the command line.

Reproduced first: as root, ``--json /dev/full`` replaced the device node; a FIFO and
a symlink were replaced too; ``--json /proc/x.json`` failed only after the whole run,
with an internal error; compare's files were written 0600 and the rest 0644.
"""

from __future__ import annotations

import os
import stat

import pytest

from drillsim.cli import main

RUN = ["run", "-n", "1", "--backend", "serial"]


@pytest.mark.parametrize(
    ("args", "option"),
    [
        ([*RUN, "--json", "/dev/full"], "--json /dev/full"),
        ([*RUN, "--json", "/proc/x.json"], "--json /proc/x.json"),
        ([*RUN, "--interval", "30m", "--csv", "/dev/null"], "--csv /dev/null"),
        (["report", "drill-0001", "--out", "/dev/full"], "--out /dev/full"),
        (
            [
                "staff",
                "--target",
                "service_level>=0.8",
                "--json",
                "/dev/full",
            ],
            "--json /dev/full",
        ),
    ],
)
def test_a_device_or_an_impossible_path_is_refused_before_the_work(capsys, args, option):
    before = os.stat("/dev/full")
    status = main(args)
    out, err = capsys.readouterr()
    assert status == 2 and option in err and "Traceback" not in err
    assert "Journal written" not in out and "replication" not in out.lower()  # no work done
    after = os.stat("/dev/full")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev


def test_a_fifo_or_a_symlink_output_is_refused_and_left_alone(tmp_path, capsys):
    fifo = tmp_path / "out.json"
    os.mkfifo(fifo)
    assert main([*RUN, "--json", str(fifo)]) == 2
    assert "named pipe" in capsys.readouterr().err and stat.S_ISFIFO(fifo.stat().st_mode)
    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    link = tmp_path / "journal.json"
    link.symlink_to(target)
    assert main([*RUN, "--json", str(link)]) == 2
    assert "symbolic link" in capsys.readouterr().err
    assert link.is_symlink() and target.read_text() == "keep me"


def test_every_file_written_gets_one_mode(tmp_path, capsys):
    umask = os.umask(0o022)
    try:
        journal = tmp_path / "run.json"
        assert main([*RUN, "--json", str(journal)]) == 0
        assert (
            main(
                [
                    "compare",
                    "--vary",
                    "reserve.size=0,4",
                    "-n",
                    "2",
                    "--backend",
                    "serial",
                    "--out-dir",
                    str(tmp_path),
                ]
            )
            == 0
        )
    finally:
        os.umask(umask)
    capsys.readouterr()
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir()}
    assert set(modes) == {"run.json", "compare.csv", "compare.json", "compare.png"}
    assert set(modes.values()) == {0o644}, modes
