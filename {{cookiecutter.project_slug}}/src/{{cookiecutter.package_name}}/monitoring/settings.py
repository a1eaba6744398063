"""Settings of the prediction log, the feedback and the drift report, read like the project
settings."""

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from ..settings import ENV_PREFIX


class MonitoringSettings(BaseSettings):
    """Every field can be set as the variable ENV_PREFIX + "MONITORING_" + FIELD."""

    model_config = SettingsConfigDict(
        env_prefix=f"{ENV_PREFIX}MONITORING_", env_file=".env", extra="ignore"
    )

    log_url: str = Field(
        "prediction-log",
        description="Where predictions and feedback are logged: a folder, or any fsspec URL"
        " (s3://bucket/prefix).",
    )
    store_text: bool = Field(
        False,
        description="Log each message's text too; off, only its length and a keyed hash are kept.",
    )
    buffer_records: int = Field(
        10_000, ge=1, description="Most records waiting to be written; past it they are dropped."
    )
    flush_interval_seconds: float = Field(
        10.0, gt=0, description="How often waiting records are written (sooner when many wait)."
    )
    signing_key: SecretStr | None = Field(
        None,
        description="Signs request ids and hashes texts. Unset, a key file is created in a local"
        " log folder; a log elsewhere needs it set, the same for every server.",
    )
    live_window: int = Field(
        500, ge=1, description="Latest feedback the live accuracy and macro-F1 are computed on."
    )
    live_minimum: int = Field(
        30, ge=1, description="Feedback needed before the live metrics are shown."
    )
    challenger: str | None = Field(
        None,
        description="A version or alias that scores every served request in shadow: its"
        " predictions are logged for `make monitor` to compare, never answered (empty: none).",
    )
    shadow_queue: int = Field(
        1_000,
        ge=1,
        description="Most requests waiting for the challenger; past it they are dropped.",
    )
    report_dir: Path = Field(
        Path("reports/monitoring"), description="Where `make monitor` writes its report."
    )
    report_minimum: int = Field(
        50, ge=1, description="Predictions a window needs before its drift is checked."
    )
    # Thresholds of the checks: Evidently's defaults, a Jensen-Shannon distance for labels and a
    # Wasserstein distance in standard deviations of the reference for numbers; a drift check
    # fails only when its test also says the difference is not chance.
    max_p_value: float = Field(
        0.01, gt=0, le=1, description="Most p-value of a check's test that counts as significant."
    )
    max_label_drift: float = Field(
        0.1, gt=0, le=1, description="Most Jensen-Shannon distance of the predicted labels."
    )
    max_confidence_drift: float = Field(
        0.1, gt=0, description="Most Wasserstein distance of the confidence (in std)."
    )
    max_length_drift: float = Field(
        0.1, gt=0, description="Most Wasserstein distance of the text length (in std)."
    )
    max_unseen_words_drift: float = Field(
        0.1, gt=0, description="Most Wasserstein distance of the share of unseen words (in std)."
    )
    max_macro_f1_drop: float = Field(
        0.1,
        gt=0,
        le=1,
        description="Most the macro-F1 from feedback may fall below the held-out macro-F1.",
    )
