"""Property-based checks of every documented operation against the OpenAPI schema."""

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings

from {{ cookiecutter.package_name }}.api.app import create_app
from {{ cookiecutter.package_name }}.settings import Settings
from {{ cookiecutter.package_name }}.training import TrainingResult

from .conftest import api_settings


def test_every_operation_conforms_to_the_schema(trained: tuple[Settings, TrainingResult]) -> None:
    app = create_app(trained[0], api_settings())
    app.state.model_holder.refresh()
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    assert {operation.path for operation in operations} >= {"/v1/predict", "/v1/predict/batch"}
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
        def conforms(case: Any) -> None:
            case.call_and_validate()

        conforms()
