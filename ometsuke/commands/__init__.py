"""One module per CLI command; `ometsuke.cli` registers them."""
