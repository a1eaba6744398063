"""The versioned model store: a local folder by default, any fsspec URL (s3://...) when deployed.

Layout: `versions/<version>/` holds the model, its metadata and its reports;
`aliases/<name>` holds the version an alias (such as "latest") points to.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

import fsspec
from pydantic import BaseModel, Field, ValidationError

if TYPE_CHECKING:
    # Imported where a model is saved or loaded: listing versions needs neither scikit-learn
    # nor numpy.
    from sklearn.pipeline import Pipeline

    from .scoring import Scorer

LATEST = "latest"
MODEL_FILE = "model.joblib"
SCORER_FILE = "scorer.npz"
METADATA_FILE = "metadata.json"
NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
TRIAL_TEXT = "a trial message"

logger = logging.getLogger(__name__)


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
    model_sha256: str | None = Field(
        None, description="SHA-256 of the model file; None for versions stored before it was."
    )
    scorer_sha256: str | None = Field(
        None, description="SHA-256 of the scorer file; None for versions stored without one."
    )
    serving: Literal["scorer", "pipeline"] = Field(
        "scorer",
        description="What predicts: the fast scorer (numpy alone), or the pipeline itself for a"
        " model of a shape the scorer cannot export.",
    )
{%- if cookiecutter.use_mlflow %}
    mlflow_run_id: str | None = Field(None, description="The MLflow run that logged the version.")
    mlflow_model_version: str | None = Field(
        None, description="The version's number in MLflow's model registry."
    )
{%- endif %}


class StoredModel(NamedTuple):
    """A loaded model and its metadata."""

    pipeline: Pipeline
    metadata: ModelMetadata


class StoredScorer(NamedTuple):
    """What predicts for a version, the fastest there is: its scorer (the model without
    scikit-learn), or its verified pipeline where it has none; and its metadata."""

    model: Scorer | Pipeline
    metadata: ModelMetadata


class ModelNotFoundError(LookupError):
    """The store has no such version or alias.

    Messages never name the store's URL: they reach HTTP answers, and a bucket name can hold an
    account id. Whoever needs the URL has it in the settings.
    """


class UnusableModelError(ModelNotFoundError):
    """A stored version cannot be used: its files are altered, truncated or do not load.

    A kind of ModelNotFoundError, so that whoever reports a missing model reports this one too.
    """

    def __init__(self, version: str, reason: str) -> None:
        super().__init__(f"model version {version} cannot be used: {reason}")
        self.version = version


def new_version(now: datetime) -> str:
    """A unique version name that sorts by training time."""
    return f"{now:%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:6]}"


class ModelStore:
    """Versions of the model, their metadata and artifacts, and aliases to them."""

    def __init__(self, url: str) -> None:
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
    ) -> ModelMetadata:
        """Store a new version and its scorer; its metadata, with the SHA-256 of its model and
        scorer files, is written last, so a listed version is complete. Returns the metadata as
        stored."""
        import joblib

        from .scoring import fast_scorer

        folder = self._path("versions", metadata.version)
        self.fs.makedirs(folder, exist_ok=True)
        try:
            buffer = io.BytesIO()
            joblib.dump(pipeline, buffer)
            model = buffer.getvalue()
            self._write(self._path("versions", metadata.version, MODEL_FILE), model)
            recorded: dict[str, Any] = {"model_sha256": hashlib.sha256(model).hexdigest()}
            scorer = fast_scorer(pipeline)
            if scorer is None:
                recorded |= {"scorer_sha256": None, "serving": "pipeline"}
            else:
                content = scorer.to_bytes()
                self._write(self._path("versions", metadata.version, SCORER_FILE), content)
                recorded |= {"scorer_sha256": hashlib.sha256(content).hexdigest()}
            for name, content in artifacts.items():
                self._write(self._path("versions", metadata.version, name), content)
            stored = metadata.model_copy(update=recorded)
            document = stored.model_dump_json(indent=2).encode("utf-8")
            self._write(self._path("versions", metadata.version, METADATA_FILE), document)
        except BaseException:  # an error or Ctrl-C: no half-stored version is left behind
            self.fs.rm(folder, recursive=True)
            raise
        return stored

    def promote(self, version: str, alias: str = LATEST) -> None:
        """Point `alias` at an existing version."""
        self.metadata(version)
        self.fs.makedirs(self._path("aliases"), exist_ok=True)
        self._write(self._path("aliases", alias), version.encode("utf-8"))

{%- if cookiecutter.use_mlflow %}

    def record(self, metadata: ModelMetadata) -> None:
        """Rewrite the metadata of a stored version, e.g. to record where it is tracked."""
        self.metadata(metadata.version)
        document = metadata.model_dump_json(indent=2).encode("utf-8")
        self._write(self._path("versions", metadata.version, METADATA_FILE), document)
{%- endif %}

    def versions(self) -> list[str]:
        """Complete versions, oldest first."""
        pattern = self._path("versions") + f"/*/{METADATA_FILE}"
        return sorted(path.rstrip("/").split("/")[-2] for path in self.fs.glob(pattern))

    def incomplete_versions(self) -> list[str]:
        """Version folders without their metadata: left by a training stopped half-way (before
        versions removed their own), never served, safe to delete."""
        folders = self.fs.glob(self._path("versions") + "/*/")
        names = {path.rstrip("/").split("/")[-1] for path in folders if self.fs.isdir(path)}
        return sorted(names - set(self.versions()))

    def resolve(self, version_or_alias: str = LATEST) -> str:
        """The version an alias points to, or the version itself if it exists."""
        alias_path = self._path("aliases", version_or_alias)
        if self.fs.isfile(alias_path):
            return str(self.fs.cat_file(alias_path).decode("utf-8", "replace").strip())
        if self.fs.isfile(self._path("versions", version_or_alias, METADATA_FILE)):
            return version_or_alias
        if version_or_alias == LATEST:
            raise ModelNotFoundError("the model store has no model yet: run `make train` first")
        raise ModelNotFoundError(f"no model version or alias {version_or_alias!r} in the store")

    def metadata(self, version_or_alias: str = LATEST) -> ModelMetadata:
        """Metadata of a version."""
        version = self.resolve(version_or_alias)
        raw = self.fs.cat_file(self._path("versions", version, METADATA_FILE))
        try:
            return ModelMetadata.model_validate_json(raw)
        except ValidationError as error:
            reason = f"its {METADATA_FILE} is not valid ({error.errors()[0]['msg']})"
            raise UnusableModelError(version, reason) from None

    def artifact(self, version_or_alias: str, name: str) -> bytes:
        """One stored file of a version (a report, an image...)."""
        version = self.resolve(version_or_alias)
        return bytes(self.fs.cat_file(self._path("versions", version, name)))

    def load(self, version_or_alias: str = LATEST) -> StoredModel:
        """The fitted pipeline of a version and its metadata, once its model file matches the
        SHA-256 recorded with it, has loaded and has made a trial prediction."""
        import joblib
        from sklearn.pipeline import Pipeline

        metadata = self.metadata(version_or_alias)
        version = metadata.version
        if metadata.model_sha256 is None:
            logger.warning(
                "Model version %s was stored without a SHA-256 of its model file, so it is loaded"
                " unverified: train a new version to have it checked",
                version,
            )
        content = self._verified(version, MODEL_FILE, metadata.model_sha256)
        try:
            pipeline = joblib.load(io.BytesIO(content))
            if isinstance(pipeline, Pipeline):
                pipeline.predict_proba([TRIAL_TEXT])
        # Unpickling calls whatever the file names and predicting runs the loaded objects' code,
        # so both can raise any exception at all (a missing module, a changed class, a wrong
        # shape...). Each of them means "this version cannot be used", which must not stop the
        # caller (the service keeps running): caught broadly, the error kept as the cause.
        except Exception as error:
            reason = f"its {MODEL_FILE} does not load or predict ({type(error).__name__})"
            raise UnusableModelError(version, reason) from error
        if not isinstance(pipeline, Pipeline):
            kind = type(pipeline).__name__
            raise UnusableModelError(version, f"its {MODEL_FILE} holds a {kind}, not a Pipeline")
        return StoredModel(pipeline, metadata)

    def load_scorer(self, version_or_alias: str = LATEST) -> StoredScorer:
        """The scorer of a version (its predictions without scikit-learn) and its metadata, once
        its file matches the SHA-256 recorded with it, has loaded and has made a trial prediction.
        A version stored without a scorer has it built from its pipeline, or is served from its
        pipeline where none can be (both slower: they load scikit-learn)."""
        from .scoring import Scorer, fast_scorer

        metadata = self.metadata(version_or_alias)
        version = metadata.version
        if metadata.scorer_sha256 is None:
            pipeline = self.load(version).pipeline
            return StoredScorer(fast_scorer(pipeline) or pipeline, metadata)
        content = self._verified(version, SCORER_FILE, metadata.scorer_sha256)
        try:
            scorer = Scorer.from_bytes(content)
            scorer.predict_proba([TRIAL_TEXT])
        # Whatever a damaged file makes numpy raise (a bad zip, a missing array, a wrong shape)
        # means "this version cannot be used", as for the model file.
        except Exception as error:
            reason = f"its {SCORER_FILE} does not load or predict ({type(error).__name__})"
            raise UnusableModelError(version, reason) from error
        return StoredScorer(scorer, metadata)

    def _verified(self, version: str, name: str, sha256: str | None) -> bytes:
        """A file of a version, once it matches its recorded SHA-256 (if one was recorded)."""
        try:
            content = bytes(self.fs.cat_file(self._path("versions", version, name)))
        except FileNotFoundError:
            raise UnusableModelError(version, f"its {name} is missing") from None
        if sha256 is not None and hashlib.sha256(content).hexdigest() != sha256:
            reason = f"its {name} does not match the SHA-256 recorded when it was stored"
            raise UnusableModelError(version, f"{reason} (altered or truncated)")
        return content
