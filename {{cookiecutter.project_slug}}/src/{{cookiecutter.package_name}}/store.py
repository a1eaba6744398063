"""The versioned model store: a local folder by default, any fsspec URL (s3://...) when deployed.

Layout: `versions/<version>/` holds the model, its metadata and its reports;
`aliases/<name>` holds the version an alias (such as "latest") points to.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any, NamedTuple

import fsspec
import joblib
from pydantic import BaseModel
from sklearn.pipeline import Pipeline

LATEST = "latest"
MODEL_FILE = "model.joblib"
METADATA_FILE = "metadata.json"
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


class DataProvenance(BaseModel):
    """Which data a model was trained on."""

    sha256: str
    rows: int
    files: list[str]


class CodeVersion(BaseModel):
    """Which code trained a model."""

    package_version: str
    git_commit: str | None


class ModelMetadata(BaseModel):
    """Everything recorded with a model version."""

    version: str
    trained_at: datetime
    labels: list[str]
    metrics: dict[str, float]
    params: dict[str, Any]
    data: DataProvenance
    code: CodeVersion
    libraries: dict[str, str]


class StoredModel(NamedTuple):
    """A loaded model and its metadata."""

    pipeline: Pipeline
    metadata: ModelMetadata


class ModelNotFoundError(LookupError):
    """The store has no such version or alias."""


def new_version(now: datetime) -> str:
    """A unique version name that sorts by training time."""
    return f"{now:%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:6]}"


class ModelStore:
    """Versions of the model, their metadata and artifacts, and aliases to them."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.fs, root = fsspec.core.url_to_fs(url)
        self.root = str(root).rstrip("/")

    def _path(self, *parts: str) -> str:
        for part in parts:
            if not NAME_PATTERN.fullmatch(part):
                raise ModelNotFoundError(f"{part!r} is not a valid version, alias or file name")
        return "/".join([self.root, *parts])

    def _write(self, path: str, content: bytes) -> None:
        """Write `content` so that readers see the old or the new file, never half of one."""
        partial = f"{path}.{uuid.uuid4().hex}.partial"
        self.fs.pipe_file(partial, content)
        self.fs.mv(partial, path)

    def save(
        self, pipeline: Pipeline, metadata: ModelMetadata, artifacts: Mapping[str, bytes]
    ) -> None:
        """Store a new version; its metadata is written last, so a listed version is complete."""
        self.fs.makedirs(self._path("versions", metadata.version), exist_ok=True)
        with self.fs.open(self._path("versions", metadata.version, MODEL_FILE), "wb") as file:
            joblib.dump(pipeline, file)
        for name, content in artifacts.items():
            self._write(self._path("versions", metadata.version, name), content)
        document = metadata.model_dump_json(indent=2).encode("utf-8")
        self._write(self._path("versions", metadata.version, METADATA_FILE), document)

    def promote(self, version: str, alias: str = LATEST) -> None:
        """Point `alias` at an existing version."""
        self.metadata(version)
        self.fs.makedirs(self._path("aliases"), exist_ok=True)
        self._write(self._path("aliases", alias), version.encode("utf-8"))

    def versions(self) -> list[str]:
        """Complete versions, oldest first."""
        pattern = self._path("versions") + f"/*/{METADATA_FILE}"
        return sorted(path.rstrip("/").split("/")[-2] for path in self.fs.glob(pattern))

    def resolve(self, version_or_alias: str = LATEST) -> str:
        """The version an alias points to, or the version itself if it exists."""
        alias_path = self._path("aliases", version_or_alias)
        if self.fs.isfile(alias_path):
            return str(self.fs.cat_file(alias_path).decode("utf-8").strip())
        if self.fs.isfile(self._path("versions", version_or_alias, METADATA_FILE)):
            return version_or_alias
        if version_or_alias == LATEST:
            raise ModelNotFoundError(f"no model in {self.url} yet: run `make train` first")
        raise ModelNotFoundError(f"no model version or alias {version_or_alias!r} in {self.url}")

    def metadata(self, version_or_alias: str = LATEST) -> ModelMetadata:
        """Metadata of a version."""
        version = self.resolve(version_or_alias)
        raw = self.fs.cat_file(self._path("versions", version, METADATA_FILE))
        return ModelMetadata.model_validate_json(raw)

    def artifact(self, version_or_alias: str, name: str) -> bytes:
        """One stored file of a version (a report, an image...)."""
        version = self.resolve(version_or_alias)
        return bytes(self.fs.cat_file(self._path("versions", version, name)))

    def load(self, version_or_alias: str = LATEST) -> StoredModel:
        """The fitted pipeline of a version and its metadata."""
        metadata = self.metadata(version_or_alias)
        with self.fs.open(self._path("versions", metadata.version, MODEL_FILE), "rb") as file:
            pipeline = joblib.load(file)
        return StoredModel(pipeline, metadata)
