"""A real, non-editable install of the wheel works outside the repository."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


def test_installed_wheel_lints_outside_the_repository(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--no-build-isolation", "--wheel-dir", str(wheels), str(REPO)],
                   check=True, capture_output=True, timeout=300)
    (wheel,) = wheels.glob("svccat-*.whl")
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--target", str(site), str(wheel)], check=True, capture_output=True,
                   timeout=300)
    assert (site / "svccat" / "schemas" / "item.schema.json").is_file()
    assert (site / "svccat" / "templates").is_dir()

    elsewhere = tmp_path / "work"
    shutil.copytree(REPO / "examples" / "flawed", elsewhere / "catalogue", symlinks=True)
    (elsewhere / "catalogue" / "svccat.toml").unlink()
    env = {**os.environ, "PYTHONPATH": str(site)}
    where = subprocess.run([sys.executable, "-c", "import svccat.resources as r; "
                            "print(r.__file__); print(r.schemas_dir())"],
                           cwd=elsewhere, env=env, capture_output=True, text=True, check=True)
    module, schemas = where.stdout.split()
    assert Path(module).is_relative_to(site) and Path(schemas).is_relative_to(site)

    done = subprocess.run([sys.executable, "-m", "svccat", "lint", "--format", "json"],
                          cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stderr
    codes = {p["code"] for p in json.loads(done.stdout)["problems"]}
    assert {"S001", "S002", "X005"} <= codes  # the bundled schemas were found and applied

    # svccat init writes its templates from the installed package (templates/init/).
    assert (site / "svccat" / "templates" / "init" / "dot-github" / "workflows" /
            "svccat.yml").is_file()
    fresh = tmp_path / "fresh"
    done = subprocess.run([sys.executable, "-m", "svccat", "init", str(fresh), "--region",
                           "370784", "--region-name", "安丘市"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert (fresh / ".github" / "workflows" / "svccat.yml").is_file()
    assert (fresh / "schemas" / "item.schema.json").is_file()
    done = subprocess.run([sys.executable, "-m", "svccat", "lint"], cwd=fresh, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
