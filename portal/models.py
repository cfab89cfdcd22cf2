"""The portal app has no tables of its own. This module exists so that `migrate` sends the app its
post_migrate signal, which creates the database cache table (see apps.py)."""
