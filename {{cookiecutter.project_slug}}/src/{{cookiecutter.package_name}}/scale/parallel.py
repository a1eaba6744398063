"""Cross-validation on the configured Dask cluster, through joblib's Dask backend; in this
process, fold after fold, when no cluster is configured."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from ..errors import DataValidationError
from ..settings import ModelParams
from .settings import ScaleSettings

Rows = tuple[Sequence[int], Sequence[int]]  # the training and the test rows of a fold


@contextmanager
def joblib_on_cluster(settings: ScaleSettings) -> Iterator[int | None]:
    """The `n_jobs` to give joblib while inside: -1, every worker of the configured cluster, with
    joblib's Dask backend; None, one job in this process, when no cluster is configured."""
    if not settings.configured:
        yield None
        return
    import joblib

    from .cluster import connect

    with connect(settings), joblib.parallel_config(backend="dask"):
        yield -1


def fold_macro_f1(
    params: ModelParams, seed: int, texts: Sequence[str], labels: Sequence[str], rows: Rows
) -> float:
    """The macro-F1 of a new model fitted on a fold's training rows, on its test rows."""
    from sklearn.metrics import f1_score

    from ..model import build_pipeline

    train_rows, test_rows = rows
    pipeline = build_pipeline(params, seed)
    pipeline.fit([texts[i] for i in train_rows], [labels[i] for i in train_rows])
    predicted = pipeline.predict([texts[i] for i in test_rows])
    truth = [labels[i] for i in test_rows]
    return float(f1_score(truth, predicted, average="macro", zero_division=0))


def fold_scores(
    params: ModelParams,
    seed: int,
    texts: Sequence[str],
    labels: Sequence[str],
    folds: Sequence[Rows],
    n_jobs: int | None,
) -> Iterator[float]:
    """The macro-F1 of each fold, in order: all at once on the cluster (n_jobs -1), else one by
    one, so that a caller may stop early."""
    if n_jobs is None:
        for rows in folds:
            yield fold_macro_f1(params, seed, texts, labels, rows)
        return
    from joblib import Parallel, delayed

    jobs = (delayed(fold_macro_f1)(params, seed, texts, labels, rows) for rows in folds)
    yield from Parallel(n_jobs=n_jobs)(jobs)


def stratified_folds(labels: Sequence[str], folds: int, seed: int) -> list[Rows]:
    """Stratified folds of the rows, or a DataValidationError if the rarest label is too rare."""
    from sklearn.model_selection import StratifiedKFold

    rarest = min(list(labels).count(label) for label in set(labels))
    if folds < 2 or rarest < folds:
        raise DataValidationError(
            [
                f"cross-validation needs 2 folds or more, each with every label: {folds} folds"
                f" with {rarest} messages of the rarest label cannot"
            ]
        )
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    return [(list(train), list(test)) for train, test in splitter.split(labels, labels)]


def cross_validated_macro_f1(
    params: ModelParams, seed: int, texts: Sequence[str], labels: Sequence[str], folds: int
) -> float:
    """Mean macro-F1 over stratified folds, on the configured cluster if there is one."""
    rows = stratified_folds(labels, folds, seed)
    with joblib_on_cluster(ScaleSettings()) as n_jobs:
        scores = list(fold_scores(params, seed, texts, labels, rows, n_jobs))
    return sum(scores) / len(scores)
