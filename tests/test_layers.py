"""The import graph has no upward arrow (README "How it is built"), read from the source files with `ast`.

    ometsuke/  ──►  scrapers/  ──►  nlp/, db/  ──►  textutil/     (in scrapers/, only the pipelines use nlp/ and db/)

Values go down, never up: the libraries never import the shell (ometsuke/), db/ and nlp/ do not know each other
or Scrapy's project, and spiders only fetch and extract. Imports inside functions and under TYPE_CHECKING count too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("ometsuke", "scrapers", "nlp", "db", "textutil")

# (modules under this path prefix, project packages they must not import)
RULES: list[tuple[str, tuple[str, ...]]] = [
    ("scrapers", ("ometsuke",)),
    ("nlp", ("ometsuke", "scrapers", "db")),
    ("db", ("ometsuke", "scrapers", "nlp")),
    ("textutil", ("ometsuke", "scrapers", "nlp", "db")),
]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path) -> set[str]:
    """Every module the file imports, relative imports resolved against its package."""
    name = module_name(path)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                found.add(".".join([*base, node.module] if node.module else base))
            else:
                found.add(node.module or "")
    return found


def project_imports() -> dict[str, set[str]]:
    """module -> the project packages (top-level names) it imports."""
    graph: dict[str, set[str]] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "demo_site" in path.parts:
                continue
            graph[module_name(path)] = {m.split(".")[0] for m in imported_modules(path)} & set(PACKAGES)
    return graph


GRAPH = project_imports()


def test_the_reader_sees_the_imports_it_must_judge() -> None:
    """The graph is read for real: known arrows, relative and function-level imports included."""
    assert {"db", "nlp", "scrapers"} <= GRAPH["scrapers.pipelines"]
    assert "scrapers" in GRAPH["scrapers.spiders.base"]  # `from .robots import …` resolves to scrapers.spiders
    assert "textutil" in GRAPH["db.search"]
    assert {"db", "nlp", "scrapers"} <= GRAPH["ometsuke.crawl_process"] | GRAPH["ometsuke.config"]


@pytest.mark.parametrize(("prefix", "forbidden"), RULES, ids=[prefix for prefix, _ in RULES])
def test_no_upward_import(prefix: str, forbidden: tuple[str, ...]) -> None:
    wrong = sorted(
        f"{module} imports {package}"
        for module, packages in GRAPH.items()
        if module == prefix or module.startswith(prefix + ".")
        for package in packages & set(forbidden)
    )
    assert not wrong, "; ".join(wrong)


def test_only_the_pipelines_of_scrapers_use_nlp_and_db() -> None:
    """Spiders, extraction and middlewares fetch and extract; tagging and storing is the pipelines' job."""
    wrong = sorted(
        f"{module} imports {package}"
        for module, packages in GRAPH.items()
        if module.split(".")[0] == "scrapers" and module != "scrapers.pipelines"
        for package in packages & {"nlp", "db"}
    )
    assert not wrong, "; ".join(wrong)


def test_loading_the_config_imports_no_scrapy() -> None:
    """The spiders' options and the crawl defaults are read by every command through ometsuke.config: they live in
    Scrapy-free modules (scrapers/spiders/options.py, scrapers/settings.py), as importing Scrapy costs about a
    second. Run in a fresh interpreter: this test process has long imported Scrapy."""
    import subprocess
    import sys

    check = "import sys, ometsuke.config; print(sorted(m for m in ('scrapy', 'twisted') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", check], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr


def test_commands_that_need_no_crawl_start_without_scrapy() -> None:
    """The CLI loads a command's module when it runs (ometsuke/cli.py COMMANDS): `vendor`, `registry`, `digest`,
    `tag`… start in a fraction of the time `crawl` takes to load Scrapy. `crawl` itself still finds it."""
    import subprocess
    import sys

    check = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from ometsuke.cli import main\n"
        "for args in (['vendor', '--help'], ['registry', 'find', '--help'], ['digest', '--help'], ['tag', '--help']):\n"
        "    assert CliRunner().invoke(main, args).exit_code == 0, args\n"
        "print(sorted(m for m in ('scrapy', 'twisted') if m in sys.modules))\n"
        "CliRunner().invoke(main, ['extract', '--help'])\n"
        "print('scrapy' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", check], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["[]", "True"], result.stdout + result.stderr
