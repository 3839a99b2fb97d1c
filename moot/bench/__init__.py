"""Benchmarks at scale: ``moot bench seed`` fills a database, ``moot bench run`` measures it."""
