"""`ometsuke demo`: crawl the bundled demo site twice and print the digest."""

from __future__ import annotations

import tempfile
from pathlib import Path

import click

from ometsuke.commands.common import clear_errors
from ometsuke.commands.crawl import format_summary
from ometsuke.crawl import INTERRUPTED_EXIT, CrawlFailed, CrawlInterrupted
from ometsuke.demo import run_demo


@click.command()
@click.option("--dir", "workdir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Keep the demo's config and database here (default: a temporary folder).")
@click.option("--format", "digest_format", type=click.Choice(["md", "html", "json"]), default="md",
              show_default=True, help="Digest format.")
def demo(workdir: Path | None, digest_format: str) -> None:
    """Run the whole pipeline on a bundled fictional site: crawl, change, crawl, digest. No network.

    \b
    Example:
      ometsuke demo --dir demo-out && sqlite3 demo-out/demo.db 'select * from changes'
    """
    def report(line: str) -> None:
        click.echo(line, err=True)

    with clear_errors(), tempfile.TemporaryDirectory(prefix="ometsuke-demo-") as temporary:
        try:
            result = run_demo(workdir or Path(temporary), report, digest_format)
        except CrawlFailed as error:
            raise click.ClickException(str(error)) from None
        except CrawlInterrupted:
            report("demo interrupted" + (f"; what was crawled is in {workdir}" if workdir else ""))
            click.get_current_context().exit(INTERRUPTED_EXIT)
        report("\nFirst crawl:\n" + format_summary(result.first_runs))
        report("\nSecond crawl:\n" + format_summary(result.second_runs) + "\n")
        click.echo(result.digest)
        if digest_format == "md":
            click.echo(f"\n# {result.connections_title}\n")
            click.echo(result.connections)
        report("\n" + where_to_explore(workdir))


def where_to_explore(workdir: Path | None) -> str:
    """The demo's last words: where its database is, or how to keep it, so the user can go on exploring."""
    if workdir is None:
        return ("The demo's database was in a temporary folder, now deleted. To keep exploring it, run\n"
                "  ometsuke demo --dir demo-out\n"
                "then: ometsuke search 契約 --config demo-out/ometsuke.toml  (or diff, digest, connections; "
                "sqlite3 demo-out/demo.db)")
    config = workdir / "ometsuke.toml"
    return (f"Config and database kept in {workdir}: the database is {workdir / 'demo.db'}. Keep exploring:\n"
            f"  ometsuke search 契約 --config {config}\n"
            f"  ometsuke digest --since 2026-01-01 --config {config}\n"
            f"  sqlite3 {workdir / 'demo.db'} 'select kind, count(*) from changes group by kind'")
