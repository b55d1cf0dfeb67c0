"""The web layer: JSON API controllers (api/) and HTML pages."""
