"""The `ometsuke` command: a thin click layer; each command lives in `ometsuke/commands/<name>.py`."""

from __future__ import annotations

import signal
import sys
from typing import Any

from ometsuke import INTERRUPTED_EXIT, __version__


def _exit_interrupted(_signum: int, _frame: Any) -> None:
    sys.exit(INTERRUPTED_EXIT)


# Ctrl-C while the commands load (a second on a busy machine) exits 130 quietly instead of printing a
# KeyboardInterrupt traceback; the previous handler is back at the end of this module, once they are loaded.
try:
    _sigint_before_loading = signal.signal(signal.SIGINT, _exit_interrupted)
except ValueError:  # imported outside the main thread: no signals there
    _sigint_before_loading = None

import click  # noqa: E402


class CommandGroup(click.Group):
    """Ctrl-C in any command: exit 130 ("interrupted", as shells count 128 + SIGINT) with one line, not click's
    "Aborted!" and exit 1. (`crawl` handles Ctrl-C itself, to print what the crawl did before it stopped.)"""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            click.echo("\ninterrupted", err=True)
            raise click.exceptions.Exit(INTERRUPTED_EXIT) from None


@click.group(cls=CommandGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="ometsuke")
def main() -> None:
    """ometsuke (大目付): watch government and corporate press pages, and where officials and vendors meet.

    \b
    Start with:
      ometsuke demo            # the whole pipeline on a bundled site, no network
      ometsuke init            # write ometsuke.toml with real sources and a watch list
      ometsuke crawl           # crawl, store, diff
      ometsuke digest          # what changed today
    """


from ometsuke.commands.crawl import crawl  # noqa: E402
from ometsuke.commands.demo import demo  # noqa: E402
from ometsuke.commands.extract import extract  # noqa: E402
from ometsuke.commands.init import init  # noqa: E402

main.add_command(init)
main.add_command(crawl)
main.add_command(demo)
main.add_command(extract)

from ometsuke.commands.diff import diff  # noqa: E402

main.add_command(diff)

from ometsuke.commands.digest import digest  # noqa: E402

main.add_command(digest)

from ometsuke.commands.search import search  # noqa: E402

main.add_command(search)

from ometsuke.commands.connections import connections  # noqa: E402

main.add_command(connections)

from ometsuke.commands.schedule import schedule  # noqa: E402

main.add_command(schedule)

from ometsuke.commands.tag import tag  # noqa: E402

main.add_command(tag)

from ometsuke.commands.watch import watch  # noqa: E402

main.add_command(watch)

from ometsuke.commands.serve import serve  # noqa: E402

main.add_command(serve)

from ometsuke.commands.source import source  # noqa: E402

main.add_command(source)

from ometsuke.commands.awards import awards  # noqa: E402
from ometsuke.commands.registry import registry  # noqa: E402

main.add_command(registry)
main.add_command(awards)

from ometsuke.commands.vendor import vendor  # noqa: E402

main.add_command(vendor)

from ometsuke.commands.notify import notify  # noqa: E402

main.add_command(notify)

if _sigint_before_loading is not None:
    signal.signal(signal.SIGINT, _sigint_before_loading)
