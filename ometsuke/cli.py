"""The `ometsuke` command: a thin click layer; each command lives in `ometsuke/commands/<name>.py`."""

from __future__ import annotations

import click

from ometsuke import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
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

from ometsuke.commands.notify import notify  # noqa: E402

main.add_command(notify)
