"""DATABASE_URL parsing."""

from pathlib import Path

import pytest

from register.settings import ConfigurationError, parse_database_url


def test_relative_sqlite_path_is_resolved_against_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = parse_database_url("sqlite:///register.sqlite")
    assert config.engine == "sqlite"
    assert config.sqlite_path == tmp_path / "register.sqlite"


def test_absolute_sqlite_path():
    assert parse_database_url("sqlite:////var/lib/register/r.db").sqlite_path == Path("/var/lib/register/r.db")


@pytest.mark.parametrize("url", ["postgresql://u:p@db:5432/reg", "postgres://localhost/reg"])
def test_postgres_urls_select_postgres(url):
    config = parse_database_url(url)
    assert config.engine == "postgres" and config.postgres_dsn == url


def test_postgres_description_hides_the_password():
    description = parse_database_url("postgresql://user:s3cret@db:5433/reg").description
    assert "s3cret" not in description and "db:5433/reg" in description


@pytest.mark.parametrize("url", ["mysql://localhost/reg", "sqlite://", "register.sqlite"])
def test_unsupported_urls_are_refused(url):
    with pytest.raises(ConfigurationError):
        parse_database_url(url)
