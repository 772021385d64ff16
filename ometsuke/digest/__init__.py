"""The daily digest: built from the database (`build_digest`), rendered as Markdown, HTML, Atom or JSON."""

from __future__ import annotations

from ometsuke.digest.build import DigestError, build_digest, parse_since
from ometsuke.digest.model import Alert, Digest, Item
from ometsuke.digest.render_atom import render_atom
from ometsuke.digest.render_html import render_html
from ometsuke.digest.render_json import render_json
from ometsuke.digest.render_markdown import render_markdown

FORMATS = ("md", "html", "atom", "json")
_RENDERERS = {"md": render_markdown, "html": render_html, "atom": render_atom, "json": render_json}


def render(digest: Digest, fmt: str = "md") -> str:
    """The digest in one of FORMATS."""
    try:
        renderer = _RENDERERS[fmt]
    except KeyError:
        raise DigestError(f"unknown digest format {fmt!r}; choose one of {', '.join(FORMATS)}") from None
    return renderer(digest)


__all__ = [
    "FORMATS", "Alert", "Digest", "DigestError", "Item", "build_digest", "parse_since", "render", "render_atom",
    "render_html", "render_json", "render_markdown",
]
