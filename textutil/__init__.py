"""Text utilities every layer may use: pure functions over str, no dependencies, importing nothing of the project.

Here so that `nlp/` (the tagger), `db/` (search) and `scrapers/` (extraction) share one definition of width folding
(`width`) and of Japanese dates (`dates`, on `spans`) without `db` or `scrapers` depending on the tagger.
"""
