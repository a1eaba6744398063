import hashlib
import json
import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import joblib
import numpy as np
import pytest
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.pipeline import Pipeline

from {{ cookiecutter.package_name }}.model import WordAndCharacterNgrams, build_pipeline
from {{ cookiecutter.package_name }}.scoring import Scorer
from {{ cookiecutter.package_name }}.settings import ModelParams
from {{ cookiecutter.package_name }}.store import (
    CodeVersion,
    DataProvenance,
    ModelMetadata,
    ModelNotFoundError,
    ModelStore,
    UnusableModelError,
    new_version,
)


def fitted() -> Pipeline:
    return build_pipeline(ModelParams(char_ngram_max=3), seed=0).fit(
        ["parcel late", "charged twice", "parcel lost", "charged again"],
        ["shipping", "billing", "shipping", "billing"],
    )


def metadata(macro_f1: float = 0.9) -> ModelMetadata:
    now = datetime.now(UTC)
    return ModelMetadata(
        version=new_version(now),
        trained_at=now,
        labels=["billing", "shipping"],
        metrics={"macro_f1": macro_f1},
        params={"regularization_c": 1.0},
        data=DataProvenance(sha256="0" * 64, rows=4, files=["data/messages.csv"]),
        code=CodeVersion(package_version="0.1.0", git_commit=None),
        libraries={"scikit-learn": "1.0"},
    )


def test_saved_versions_load_with_their_metadata_and_artifacts(tmp_path: Path) -> None:
    store = ModelStore(str(tmp_path / "models"))
    first = store.save(fitted(), metadata(0.8), {"report.txt": b"first"})
    second = store.save(fitted(), metadata(0.9), {"report.txt": b"second"})
    assert store.versions() == sorted([first.version, second.version])
    loaded = store.load(second.version)
    assert loaded.metadata == second
    assert list(loaded.pipeline.predict(["parcel"])) == ["shipping"]
    assert store.artifact(first.version, "report.txt") == b"first"


def test_latest_follows_promotion_only(tmp_path: Path) -> None:
    store = ModelStore(str(tmp_path / "models"))
    first, second = metadata(), metadata()
    store.save(fitted(), first, {})
    with pytest.raises(ModelNotFoundError, match="run `make train` first"):
        store.load()
    store.promote(first.version)
    store.save(fitted(), second, {})
    assert store.resolve() == first.version
    store.promote(second.version)
    assert store.load().metadata.version == second.version
    assert not list((tmp_path / "models").rglob("*.partial"))


def test_unknown_or_unsafe_names_are_refused(tmp_path: Path) -> None:
    store = ModelStore(str(tmp_path / "models"))
    with pytest.raises(ModelNotFoundError, match="no model version or alias 'v9'"):
        store.load("v9")
    with pytest.raises(ModelNotFoundError, match="not a valid"):
        store.load("../outside")
    with pytest.raises(ModelNotFoundError):
        store.promote("missing")


def test_versions_sort_by_time() -> None:
    early = new_version(datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC))
    late = new_version(datetime(2025, 1, 2, 3, 4, 6, tzinfo=UTC))
    assert early.startswith("20250102-030405-")
    assert sorted([late, early]) == [early, late]


def test_a_version_that_fails_half_way_through_saving_leaves_no_folder(tmp_path: Path) -> None:
    store = ModelStore(str(tmp_path / "models"))
    kept = store.save(fitted(), metadata(), {})
    failing = metadata()
    with pytest.raises(ModelNotFoundError, match="not a valid version, alias or file name"):
        store.save(fitted(), failing, {"report.png": b"png", "no/such name": b""})
    assert sorted(path.name for path in (tmp_path / "models" / "versions").iterdir()) == [
        kept.version
    ]
    assert store.incomplete_versions() == []


def test_a_folder_without_metadata_is_an_incomplete_version_never_listed(tmp_path: Path) -> None:
    store, folder = stored_version(tmp_path)
    left = folder.parent / new_version(datetime(2025, 1, 2, tzinfo=UTC))
    left.mkdir()
    (left / "model.joblib").write_bytes(b"half")
    assert store.versions() == [folder.name]
    assert store.incomplete_versions() == [left.name]
    with pytest.raises(ModelNotFoundError):
        store.metadata(left.name)


def test_a_memory_url_works_like_a_folder() -> None:
    store = ModelStore("memory://tests/models")
    stored = store.save(fitted(), metadata(), {})
    store.promote(stored.version)
    assert store.load().metadata == stored


def stored_version(root: Path) -> tuple[ModelStore, Path]:
    """A store under `root` with one saved version; and that version's folder."""
    store = ModelStore(str(root / "models"))
    stored = store.save(fitted(), metadata(), {})
    return store, root / "models" / "versions" / stored.version


def test_a_saved_version_records_the_sha256_of_its_model_file(tmp_path: Path) -> None:
    store, folder = stored_version(tmp_path)
    digest = hashlib.sha256((folder / "model.joblib").read_bytes()).hexdigest()
    assert store.metadata(folder.name).model_sha256 == digest
    assert store.load(folder.name).metadata.model_sha256 == digest


@pytest.mark.parametrize(
    "damage",
    [
        lambda model: model.write_bytes(model.read_bytes()[:-100]),  # truncated
        lambda model: joblib.dump(fitted().set_params(classifier__C=2.0), model),  # replaced
    ],
)
def test_a_model_file_that_does_not_match_its_sha256_is_refused(
    tmp_path: Path, damage: Callable[[Path], object]
) -> None:
    store, folder = stored_version(tmp_path)
    damage(folder / "model.joblib")
    with pytest.raises(UnusableModelError) as refused:
        store.load(folder.name)
    assert str(refused.value) == (
        f"model version {folder.name} cannot be used: its model.joblib does not match the"
        " SHA-256 recorded when it was stored (altered or truncated)"
    )


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"cno_such_module\nModel\n.", "does not load or predict (ModuleNotFoundError)"),
        (b"not a pickle", "does not load or predict (KeyError)"),
        (b"\x80\x04\x95", "does not load or predict (error)"),  # struct.error: anything goes
        (None, "holds a dict, not a Pipeline"),
    ],
)
def test_a_model_file_that_does_not_load_is_refused_with_its_reason(
    tmp_path: Path, content: bytes | None, reason: str
) -> None:
    store, folder = stored_version(tmp_path)
    model = folder / "model.joblib"
    if content is None:
        joblib.dump({"not": "a model"}, model)
    else:
        model.write_bytes(content)
    document = json.loads((folder / "metadata.json").read_text())
    document["model_sha256"] = hashlib.sha256(model.read_bytes()).hexdigest()
    (folder / "metadata.json").write_text(json.dumps(document))
    with pytest.raises(UnusableModelError, match=re.escape(f"model.joblib {reason}")) as refused:
        store.load(folder.name)
    assert refused.value.version == folder.name
    assert str(tmp_path) not in str(refused.value)


def test_a_version_with_a_broken_or_missing_file_is_refused(tmp_path: Path) -> None:
    store, folder = stored_version(tmp_path)
    (folder / "metadata.json").write_text('{"version": ')
    with pytest.raises(UnusableModelError, match=r"its metadata\.json is not valid"):
        store.load(folder.name)
    store, folder = stored_version(tmp_path / "other")
    (folder / "model.joblib").unlink()
    with pytest.raises(UnusableModelError, match=r"its model\.joblib is missing"):
        store.load(folder.name)


def test_a_version_stored_before_digests_loads_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store, folder = stored_version(tmp_path)
    document = json.loads((folder / "metadata.json").read_text())
    del document["model_sha256"]
    (folder / "metadata.json").write_text(json.dumps(document))
    with caplog.at_level(logging.WARNING):
        assert store.load(folder.name).metadata.model_sha256 is None
    assert f"Model version {folder.name} was stored without a SHA-256" in caplog.text


TEXTS = ["parcel late", "charged twice, again", "nothing known here"]


def assert_same_probabilities(scorer: Scorer, pipeline: Pipeline) -> None:
    np.testing.assert_allclose(
        scorer.predict_proba(TEXTS), pipeline.predict_proba(TEXTS), rtol=0, atol=1e-12
    )


def altered_scorer() -> bytes:
    scorer = Scorer.from_pipeline(fitted())
    scorer.intercept = scorer.intercept + 1.0
    return scorer.to_bytes()


def forget_scorer(folder: Path) -> None:
    """Make a version look stored before versions had a scorer."""
    (folder / "scorer.npz").unlink()
    document = json.loads((folder / "metadata.json").read_text())
    del document["scorer_sha256"]
    document["model_sha256"] = hashlib.sha256((folder / "model.joblib").read_bytes()).hexdigest()
    (folder / "metadata.json").write_text(json.dumps(document))


def test_a_saved_version_has_a_verified_scorer_that_predicts_as_its_pipeline(
    tmp_path: Path,
) -> None:
    store, folder = stored_version(tmp_path)
    digest = hashlib.sha256((folder / "scorer.npz").read_bytes()).hexdigest()
    assert store.metadata(folder.name).scorer_sha256 == digest
    scorer, stored = store.load_scorer(folder.name)
    assert stored == store.metadata(folder.name)
    assert_same_probabilities(scorer, store.load(folder.name).pipeline)


@pytest.mark.parametrize(
    "damage",
    [
        lambda scorer: scorer.write_bytes(scorer.read_bytes()[:-100]),  # truncated
        lambda scorer: scorer.write_bytes(altered_scorer()),  # a valid scorer, another model
    ],
)
def test_a_scorer_file_that_does_not_match_its_sha256_is_refused(
    tmp_path: Path, damage: Callable[[Path], object]
) -> None:
    store, folder = stored_version(tmp_path)
    damage(folder / "scorer.npz")
    with pytest.raises(UnusableModelError) as refused:
        store.load_scorer(folder.name)
    assert str(refused.value) == (
        f"model version {folder.name} cannot be used: its scorer.npz does not match the"
        " SHA-256 recorded when it was stored (altered or truncated)"
    )


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"not a zip file", "does not load or predict (ValueError)"),
        (None, "does not load or predict (KeyError)"),  # an npz without the scorer's arrays
    ],
)
def test_a_scorer_file_that_does_not_load_is_refused_with_its_reason(
    tmp_path: Path, content: bytes | None, reason: str
) -> None:
    store, folder = stored_version(tmp_path)
    scorer = folder / "scorer.npz"
    if content is None:
        with scorer.open("wb") as file:
            np.savez(file, idf=np.ones(3))
    else:
        scorer.write_bytes(content)
    document = json.loads((folder / "metadata.json").read_text())
    document["scorer_sha256"] = hashlib.sha256(scorer.read_bytes()).hexdigest()
    (folder / "metadata.json").write_text(json.dumps(document))
    with pytest.raises(UnusableModelError, match=re.escape(f"scorer.npz {reason}")):
        store.load_scorer(folder.name)
    scorer.unlink()
    with pytest.raises(UnusableModelError, match=r"its scorer\.npz is missing"):
        store.load_scorer(folder.name)


def test_a_version_stored_without_a_scorer_gets_one_from_its_verified_pipeline(
    tmp_path: Path,
) -> None:
    store, folder = stored_version(tmp_path)
    forget_scorer(folder)
    scorer, stored = store.load_scorer(folder.name)
    assert stored.scorer_sha256 is None
    assert_same_probabilities(scorer, fitted())
    (folder / "model.joblib").write_bytes(b"altered")
    with pytest.raises(UnusableModelError, match=r"model\.joblib does not match the SHA-256"):
        store.load_scorer(folder.name)


def test_a_model_pickled_by_the_analyzer_of_before_loads_and_predicts_as_it_did(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Versions stored before the analyzer moved to `features` name it in `model`, and it held
    scikit-learn's analyzers; both still load and predict exactly as they did."""
    store, folder = stored_version(tmp_path)
    pipeline = fitted()
    analyzer = pipeline[0].analyzer
    analyzer.words = CountVectorizer(ngram_range=(1, 2), strip_accents="unicode").build_analyzer()
    analyzer.characters = CountVectorizer(
        analyzer="char_wb", ngram_range=(2, 3), strip_accents="unicode"
    ).build_analyzer()
    old_module = "{{ cookiecutter.package_name }}.model"
    with monkeypatch.context() as before:
        before.setattr(WordAndCharacterNgrams, "__module__", old_module)
        joblib.dump(pipeline, folder / "model.joblib")
    old = (folder / "model.joblib").read_bytes()
    assert old_module.encode() in old and b".features" not in old
    forget_scorer(folder)
    loaded = store.load(folder.name).pipeline
    assert set(vars(loaded[0].analyzer)) == {
        "word_ngram_max",
        "char_ngram_max",
        "words",
        "characters",
    }
    assert (loaded.predict_proba(TEXTS) == pipeline.predict_proba(TEXTS)).all()
    assert_same_probabilities(store.load_scorer(folder.name).model, pipeline)
