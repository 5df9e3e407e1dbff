"""Open the crawl database in Datasette, read-only, with newscrawl's metadata.

The database is prepared first (schema, search index and views brought up
to date; the WAL checkpointed into the main file) and then served with
`--immutable`: Datasette opens it with `immutable=1`, never writes it, and
skips locking. An immutable view does not see writes made after it opened,
so `live=True` (`newscrawl serve --live`) serves it read-only (`mode=ro`)
instead, for watching a crawl that is still running.

Datasette names a database after its file (`output/newscrawl.db` is
`newscrawl`); the bundled metadata (`datasette_metadata.json`) is written
for that name and re-keyed to whatever the file is called.
"""

from __future__ import annotations

import json
import socket
import tempfile
from importlib import resources
from pathlib import Path

METADATA = "data/datasette_metadata.json"


def load_metadata(database_name: str = "newscrawl") -> dict:
    """The bundled Datasette metadata, for a database called `database_name`."""
    data = json.loads(resources.files("newscrawl").joinpath(METADATA).read_text(encoding="utf-8"))
    databases = data.get("databases", {})
    if "newscrawl" in databases and database_name != "newscrawl":
        databases[database_name] = databases.pop("newscrawl")
    return data


def prepare_database(path: str | Path) -> None:
    """Bring schema, search index and views up to date; fold the WAL into the file."""
    from ..store.search_index import apply_analyst_schema, has_analyst_schema
    from ..store.schema import open_database

    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path} does not exist: crawl first (newscrawl crawl --replay --db {path})")
    db = open_database(path)
    try:
        if not has_analyst_schema(db):
            apply_analyst_schema(db)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def datasette_args(path: str | Path, metadata_file: str | Path, host: str, port: int, live: bool = False) -> list[str]:
    """Arguments for `datasette` that serve `path` read-only with the metadata."""
    path = str(path)
    files = [path] if live else ["--immutable", path]
    return [
        "serve", *files,
        "--metadata", str(metadata_file),
        "--host", host, "--port", str(port),
        "--setting", "sql_time_limit_ms", "5000",
        "--setting", "default_page_size", "50",
    ]


def serve(path: str | Path, host: str = "127.0.0.1", port: int = 8001, live: bool = False, echo=print) -> None:
    """Prepare the database and run Datasette on it until interrupted."""
    from datasette.cli import cli as datasette_cli

    path = Path(path)
    prepare_database(path)
    if port == 0:
        port = free_port(host)
    with tempfile.TemporaryDirectory(prefix="newscrawl-datasette-") as folder:
        metadata_file = Path(folder) / "metadata.json"
        metadata_file.write_text(json.dumps(load_metadata(path.stem), ensure_ascii=False), encoding="utf-8")
        echo(f"serving {path} ({'read-only, live' if live else 'immutable'}) at http://{host}:{port}/{path.stem}")
        datasette_cli.main(datasette_args(path, metadata_file, host, port, live), prog_name="datasette", standalone_mode=False)
