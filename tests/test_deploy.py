"""The project deploys to scrapyd from scrapy.cfg: the egg builds and lists `news`."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT


def test_scrapyd_egg_builds_and_lists_the_news_spider(tmp_path):
    project = tmp_path / "project"
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    for name in tracked or []:
        if (ROOT / name).is_file():
            (project / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, project / name)
    assert (project / "scrapy.cfg").is_file()
    egg = tmp_path / "newscrawl.egg"
    deploy = Path(sys.executable).with_name("scrapyd-deploy")
    build = subprocess.run([str(deploy), "--build-egg", str(egg)], cwd=project, capture_output=True, text=True, timeout=300)
    assert build.returncode == 0 and egg.is_file(), build.stderr[-3000:]
    # Load the project from the egg alone, as scrapyd's runner does.
    probe = ("import newscrawl; print(newscrawl.__file__)\n"
             "from scrapy.spiderloader import SpiderLoader\n"
             "from scrapy.utils.project import get_project_settings\n"
             "print(SpiderLoader.from_settings(get_project_settings()).list())\n")
    env = {**os.environ, "PYTHONPATH": str(egg), "SCRAPY_SETTINGS_MODULE": "newscrawl.settings"}
    listed = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, env=env, timeout=120)
    assert listed.returncode == 0, listed.stderr[-3000:]
    module_file, spiders = listed.stdout.strip().splitlines()[-2:]
    assert module_file.startswith(str(egg)) and spiders == "['news']"
