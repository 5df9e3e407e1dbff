"""Every command is documented: an example in its --help and a place in the README."""

import re

import pytest
from click.testing import CliRunner

from newscrawl.cli import cli

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(cli.commands)


@pytest.mark.parametrize("command", COMMANDS)
def test_help_has_an_example(command):
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output and f"newscrawl {command}" in result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_readme_documents_the_command(command):
    assert f"newscrawl {command}" in README


def test_readme_opens_with_the_two_commands():
    blocks = re.findall(r"```bash\n(.*?)\n```", README, re.S)[:2]
    assert "newscrawl crawl --replay" in blocks[0] and blocks[1].endswith("pytest")
    ci = (ROOT / ".ci" / "run").read_text()
    assert blocks[1] in ci


def test_unknown_site_is_a_clear_error():
    result = CliRunner().invoke(cli, ["crawl", "nosuchsite"])
    assert result.exit_code == 2 and "unknown site" in result.output


def test_missing_replay_folder_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(cli, ["crawl", "--replay", str(tmp_path / "nope")])
    assert result.exit_code == 2 and "not a folder of saved pages" in result.output
