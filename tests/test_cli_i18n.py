"""The command line in Chinese: --lang, DRILLSIM_LANG, LANG, the plan's own language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from drillsim.cli import main

ROOT = Path(__file__).resolve().parents[1]
ZH_PLAN = ROOT / "plans" / "examples" / "default_centre_zh.yaml"
ZH_SCENARIO = ROOT / "scenarios" / "library" / "crm_outage_monday_peak_zh.yaml"
ENGLISH_SENTENCE = re.compile(
    r"\b(replications|worker\(s\)|readiness|valid:|error\(s\)|ACTIVATION PATHS|By channel|"
    r"Target \(plan\)|Response \(policy|of runs|on average|usage:|options:|show this help)\b"
)


def run_cli(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def no_language_env(monkeypatch):
    """Nothing in the environment chooses a language (LANG=C)."""
    for name in ("DRILLSIM_LANG", "LC_ALL", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C")


def assert_chinese_check(out: str) -> None:
    assert "校验通过" in out and "准备度" in out and "启用路径" in out
    assert "事件类型" in out and "备用系统" in out
    assert not ENGLISH_SENTENCE.search(out), ENGLISH_SENTENCE.search(out)


@pytest.mark.parametrize(
    "argv", [["--lang", "zh-CN", "check"], ["check", "--lang", "zh-CN"], ["check", "--lang=zh"]]
)
def test_check_in_chinese_before_or_after_the_command(capsys, argv):
    code, out, _err = run_cli(capsys, *argv)
    assert code == 0
    assert_chinese_check(out)


def test_run_in_chinese(capsys):
    code, out, err = run_cli(capsys, "run", "--lang", "zh-CN", "-n", "3", "--workers", "1")
    assert code == 0
    for phrase in ("次重复运行", "指标", "服务水平", "目标（预案）", "按渠道", "应急响应"):
        assert phrase in out, phrase
    assert "事件发现与报告" in out and "从未启用" in out
    assert "正在用 1 个工作进程运行 3 次重复" in err
    assert not ENGLISH_SENTENCE.search(out), ENGLISH_SENTENCE.search(out)


def test_drillsim_lang_chooses(capsys, monkeypatch):
    monkeypatch.setenv("DRILLSIM_LANG", "zh-CN")
    code, out, _err = run_cli(capsys, "check")
    assert code == 0
    assert_chinese_check(out)


def test_lang_environment_chooses(capsys, monkeypatch, no_language_env):
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    code, out, _err = run_cli(capsys, "check")
    assert code == 0
    assert_chinese_check(out)


def test_lang_flag_beats_the_environment(capsys, monkeypatch):
    monkeypatch.setenv("DRILLSIM_LANG", "zh-CN")
    code, out, _err = run_cli(capsys, "check", "--lang", "en")
    assert code == 0 and "readiness:" in out and "校验通过" not in out


@pytest.mark.parametrize("argv", [["--lang", "xx", "check"], ["check", "--lang", "xx"]])
def test_a_bad_language_exits_two_naming_the_argument(capsys, argv):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "argument --lang: 'xx' is not a language drillsim speaks: use zh-CN or en" in err


def test_argparse_speaks_chinese(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--lang", "zh-CN", "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：drillsim")
    assert "选项" in out and "显示此帮助信息并退出" in out and "客户服务中心应急准备" in out
    assert "校验应急预案文件" in out  # the commands' help
    assert not ENGLISH_SENTENCE.search(out), ENGLISH_SENTENCE.search(out)
    with pytest.raises(SystemExit) as exc:
        main(["--lang", "zh-CN", "run", "--backend", "nowhere"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "错误" in err and "无效的选择" in err and "--backend" in err


def test_english_help_is_unchanged(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert out.startswith("usage: drillsim") and "show this help message and exit" in out
    assert "--lang {zh-CN,en}" in out


needs_zh_plan = pytest.mark.skipif(
    not ZH_PLAN.exists() or not ZH_SCENARIO.exists(),
    reason="the Chinese edition of the default plan or its scenario is not there",
)


@needs_zh_plan
def test_the_plan_language_decides_when_nobody_chose(capsys, no_language_env):
    code, out, _err = run_cli(capsys, "check", "default_centre_zh")
    assert code == 0
    assert_chinese_check(out)
    assert "客户服务中心突发事件应急预案" in out  # the plan's own name
    assert "系统故障" in out and "备用CRM（灾备数据中心）" in out  # names, not ids
    assert "crm_standby" not in out


@needs_zh_plan
def test_the_user_beats_the_plan_language(capsys, no_language_env):
    code, out, _err = run_cli(capsys, "check", "default_centre_zh", "--lang", "en")
    assert code == 0 and "readiness:" in out
    assert "Standby CRM (disaster-recovery data centre)" in out  # the English names


@needs_zh_plan
def test_run_the_chinese_plan_and_scenario(capsys, no_language_env):
    code, out, err = run_cli(
        capsys,
        "run",
        "default_centre_zh",
        "crm_outage_monday_peak_zh",
        "-n",
        "3",
        "--workers",
        "1",
    )
    assert code == 0
    assert "周一早高峰 CRM 系统中断" in out  # the scenario's Chinese name
    for name in ("电话客服热线", "应急总指挥", "值班经理", "备用CRM（灾备数据中心）"):
        assert name in out, name
    assert "次重复运行" in out and "次重复" in err
    assert not ENGLISH_SENTENCE.search(out), ENGLISH_SENTENCE.search(out)
