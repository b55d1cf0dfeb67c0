"""Queries and changes: the only code that talks to the database."""
