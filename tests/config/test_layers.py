"""The layer contracts (.importlinter) hold for the code, and an import that points up breaks them."""

import configparser
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = ROOT / ".importlinter"
LINT = [sys.executable, "-c", "from importlinter.cli import lint_imports_command; lint_imports_command()", "--no-cache"]


def lint(where: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*LINT, "--config", str(where / ".importlinter")], cwd=where, capture_output=True, text=True)


def copy_of_the_code(to: Path) -> Path:
    """The Python files of every package the contracts name, and the contracts."""
    config = configparser.ConfigParser()
    config.read(CONTRACTS)
    for package in config["importlinter"]["root_packages"].split():
        shutil.copytree(
            ROOT / package,
            to / package,
            ignore=lambda folder, names: [
                n for n in names if n == "__pycache__" or (not n.endswith(".py") and not (Path(folder) / n).is_dir())
            ],
        )
    shutil.copy(CONTRACTS, to / ".importlinter")
    return to


def test_the_code_keeps_every_layer_contract_without_exceptions():
    result = lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
    assert "ignored" not in result.stdout  # no upward import is let through


def test_an_import_of_a_higher_layer_breaks_the_contracts(tmp_path):
    code = copy_of_the_code(tmp_path)
    assert lint(code).returncode == 0
    models = code / "tasks" / "models.py"
    models.write_text(models.read_text(encoding="utf-8") + "\nimport notifications.models  # noqa\n", encoding="utf-8")
    result = lint(code)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "tasks is not allowed to import notifications" in result.stdout
    assert "tasks.models -> notifications.models" in result.stdout
