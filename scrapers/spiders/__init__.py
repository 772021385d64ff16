"""ometsuke's spiders: one base class (`base.SourceSpider`); `name` is the config's spider type."""
