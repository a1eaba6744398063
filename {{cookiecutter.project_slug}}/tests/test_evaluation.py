from {{ cookiecutter.package_name }}.evaluation import confusion_matrix_png, evaluate
from {{ cookiecutter.package_name }}.model import build_pipeline
from {{ cookiecutter.package_name }}.settings import ModelParams

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Labels of another task than the bundled one: the evaluation takes them from the model.
LABELS = ["negative", "neutral", "positive"]
TEXTS = [f"{label} question number {n}" for label in LABELS for n in range(3)]
TRUTH = [label for label in LABELS for _ in range(3)]


def test_a_perfect_model_scores_one_and_passes_the_gate() -> None:
    model = build_pipeline(ModelParams(), seed=0).fit(TEXTS, TRUTH)
    evaluation = evaluate(model, TEXTS, TRUTH)
    assert evaluation.metrics["macro_f1"] == 1.0
    assert evaluation.metrics["support"] == len(TEXTS)
    assert evaluation.passes(0.99)
    diagonal = [evaluation.confusion[i][i] for i in range(len(LABELS))]
    assert diagonal == [3] * len(LABELS)


def test_a_wrong_model_fails_the_gate_and_reports_every_label() -> None:
    model = build_pipeline(ModelParams(), seed=0).fit(TEXTS, TRUTH)
    shifted = TRUTH[3:] + TRUTH[:3]
    evaluation = evaluate(model, TEXTS, shifted)
    assert evaluation.metrics["macro_f1"] == 0.0
    assert not evaluation.passes(0.5)
    assert all(label in evaluation.report for label in LABELS)
    assert evaluation.labels == LABELS


def test_confusion_matrix_is_a_png() -> None:
    model = build_pipeline(ModelParams(), seed=0).fit(TEXTS, TRUTH)
    image = confusion_matrix_png(evaluate(model, TEXTS, TRUTH))
    assert image.startswith(PNG_SIGNATURE)
    assert len(image) > 5_000
