"""The `ometsuke` command: a thin click layer; each command lives in `ometsuke/commands/<name>.py`."""

from __future__ import annotations

import importlib
import signal
import sys
from typing import Any

from ometsuke import INTERRUPTED_EXIT, __version__


def _exit_interrupted(_signum: int, _frame: Any) -> None:
    sys.exit(INTERRUPTED_EXIT)


# Ctrl-C while click loads exits 130 quietly instead of printing a KeyboardInterrupt traceback; the previous handler
# is back at the end of this module. (A command's own module loads inside CommandGroup.invoke, which says
# "interrupted".)
try:
    _sigint_before_loading = signal.signal(signal.SIGINT, _exit_interrupted)
except ValueError:  # imported outside the main thread: no signals there
    _sigint_before_loading = None

import click  # noqa: E402

# Each command's module, imported only when the command runs (or --help lists them all): `crawl` and `extract`
# load Scrapy (about half a second), which `vendor`, `registry find` or `digest` never need.
COMMANDS: dict[str, str] = {
    "init": "ometsuke.commands.init:init",
    "crawl": "ometsuke.commands.crawl:crawl",
    "demo": "ometsuke.commands.demo:demo",
    "extract": "ometsuke.commands.extract:extract",
    "diff": "ometsuke.commands.diff:diff",
    "digest": "ometsuke.commands.digest:digest",
    "search": "ometsuke.commands.search:search",
    "connections": "ometsuke.commands.connections:connections",
    "schedule": "ometsuke.commands.schedule:schedule",
    "tag": "ometsuke.commands.tag:tag",
    "watch": "ometsuke.commands.watch:watch",
    "serve": "ometsuke.commands.serve:serve",
    "source": "ometsuke.commands.source:source",
    "registry": "ometsuke.commands.registry:registry",
    "awards": "ometsuke.commands.awards:awards",
    "vendor": "ometsuke.commands.vendor:vendor",
    "notify": "ometsuke.commands.notify:notify",
}


class CommandGroup(click.Group):
    """Ctrl-C in any command: exit 130 ("interrupted", as shells count 128 + SIGINT) with one line, not click's
    "Aborted!" and exit 1. (`crawl` handles Ctrl-C itself, to print what the crawl did before it stopped.)

    Commands are loaded from COMMANDS when first asked for (click's lazy-group pattern)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module_name, attribute = COMMANDS[cmd_name].split(":")
            self.add_command(getattr(importlib.import_module(module_name), attribute), cmd_name)
        return super().get_command(ctx, cmd_name)

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


if _sigint_before_loading is not None:
    signal.signal(signal.SIGINT, _sigint_before_loading)
