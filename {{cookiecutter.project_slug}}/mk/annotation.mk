# Targets of the annotation component (included by the Makefile).
ANNOTATION := $(UV) run python -m $(PACKAGE).annotation

.PHONY: annotate annotate-credentials annotate-push annotate-pull{% if cookiecutter.use_monitoring %} annotate-served{% endif %}

annotate: check-uv ## Start Label Studio on http://127.0.0.1:8080 (its own environment; data in .label-studio/)
	$(ANNOTATION) start

annotate-credentials: check-uv ## Create Label Studio's password and API token in .env (make annotate does it first)
	$(ANNOTATION) credentials
{%- if cookiecutter.use_docker %}

# The compose stack's Label Studio reads the same password and token from .env.
docker-up: annotate-credentials
{%- endif %}

annotate-push: check-uv ## Send unlabelled messages to Label Studio, with the model's guesses, least sure first
	$(ANNOTATION) push
{%- if cookiecutter.use_monitoring %}

annotate-served: check-uv ## Send the messages the API served without feedback to Label Studio, least sure first: make annotate-served [DAYS=7]
	$(ANNOTATION) push-served $(if $(DAYS),--days "$$DAYS")
{%- endif %}

annotate-pull: check-uv ## Merge the annotations into data/labelled/annotations.csv, then run make train
	$(ANNOTATION) pull
