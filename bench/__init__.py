"""The harness that drives a real stack (PostgreSQL, gunicorn, nginx, Redis) from outside.

A package, so the benchmark scripts (`python -m bench.bench`, `make bench`) and the drills
(`tests/drills/`, `make drills`) import one copy: `bench.loadstack` starts the servers and plays
the visitors, `bench.measure` records their answers and reads figures from them.
"""
