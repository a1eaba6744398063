"""Talking to Label Studio over its REST API, with a clear error when it is down or refuses us.

The REST API rather than `label-studio-sdk`: the SDK pulls in OpenCV and pins numpy below what
the project's pandas needs on newer Pythons, for the five calls used here.
"""

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import httpx

from ..settings import ENV_PREFIX
from .config import ROW_ID
from .settings import AnnotationSettings

IMPORT_BATCH = 500


class LabelStudioError(RuntimeError):
    """Label Studio cannot be used; the message says what to do."""


class Studio:
    """One Label Studio server and the project of this repository on it."""

    def __init__(self, settings: AnnotationSettings) -> None:
        self.settings = settings
        if settings.token is None:
            raise LabelStudioError(
                "no Label Studio API token: run `make annotate` once, which creates one in .env"
                f" (or set {ENV_PREFIX}ANNOTATION_TOKEN to the token of a shared server)"
            )
        token = settings.token.get_secret_value()
        self.client = httpx.Client(
            base_url=settings.url, headers={"Authorization": f"Token {token}"}, timeout=60
        )

    @contextmanager
    def _calling(self) -> Iterator[None]:
        try:
            yield
        except httpx.TransportError as error:
            raise LabelStudioError(
                f"Label Studio does not answer at {self.settings.url}: start it with"
                f" `make annotate` ({error.__class__.__name__})"
            ) from error
        except httpx.HTTPStatusError as error:
            if error.response.status_code in (401, 403):
                raise LabelStudioError(
                    f"Label Studio at {self.settings.url} refused the API token:"
                    f" check {ENV_PREFIX}ANNOTATION_TOKEN"
                ) from error
            raise LabelStudioError(
                f"Label Studio answered {error.response.status_code}: {error.response.text[:300]}"
            ) from error

    def _get(self, path: str, **params: Any) -> Any:
        return self.client.get(path, params=params).raise_for_status().json()

    def project(self, label_config: str) -> int:
        """The id of this repository's project, created with `label_config` the first time."""
        with self._calling():
            for project in self._get("/api/projects", title=self.settings.project)["results"]:
                if project["title"] == self.settings.project:
                    return int(project["id"])
            body = {"title": self.settings.project, "label_config": label_config}
            created = self.client.post("/api/projects", json=body).raise_for_status().json()
            return int(created["id"])

    def row_ids(self, project: int) -> set[str]:
        """The ids of the rows that are tasks of the project already."""
        with self._calling():
            ids, page = set(), 1
            while True:
                answer = self._get("/api/tasks", project=project, page=page, page_size=500)
                ids |= {str(task["data"].get(ROW_ID)) for task in answer["tasks"]}
                if len(ids) >= answer["total"] or not answer["tasks"]:
                    return ids
                page += 1

    def people(self) -> dict[int, str]:
        """The e-mail address of every user, by id (exports name annotators by id)."""
        with self._calling():
            return {int(user["id"]): str(user["email"]) for user in self._get("/api/users")}

    def import_tasks(self, project: int, tasks: Sequence[dict[str, Any]]) -> None:
        with self._calling():
            for start in range(0, len(tasks), IMPORT_BATCH):
                batch = list(tasks[start : start + IMPORT_BATCH])
                self.client.post(f"/api/projects/{project}/import", json=batch).raise_for_status()

    def export(self, project: int) -> object:
        """Every task of the project with its annotations (Label Studio's JSON export), as JSON
        that `export.read_export` checks."""
        with self._calling():
            answer = self.client.get(
                f"/api/projects/{project}/export",
                params={"exportType": "JSON", "download_all_tasks": "true"},
            ).raise_for_status()
        try:
            return json.loads(answer.content)
        except ValueError as error:
            raise LabelStudioError(f"Label Studio's export is not JSON ({error})") from error
