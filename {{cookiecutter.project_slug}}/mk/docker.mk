# Targets of the Docker component (included by the Makefile). DOCKER=podman works as well.
DOCKER ?= docker
COMPOSE ?= $(DOCKER) compose
IMAGE_PREFIX ?= {{ cookiecutter.project_slug }}
MODEL_VERSION ?= $(shell cat models/aliases/latest 2>/dev/null)

.PHONY: docker-build docker-build-with-model docker-up docker-down docker-logs

# The images install uv.lock as it is (--locked). On your machine a changed pyproject.toml is locked
# again before a build (commit uv.lock); in CI (UV_LOCKED, see the Makefile) this only checks it.
uv.lock: pyproject.toml
	$(UV) lock

docker-build: uv.lock ## Build the service images from the lock file
	$(DOCKER) build --target api --tag $(IMAGE_PREFIX)-api:latest .
{%- if cookiecutter.use_streamlit %}
	$(DOCKER) build --target demo --tag $(IMAGE_PREFIX)-demo:latest .
{%- endif %}
{%- if cookiecutter.use_dask %}
	$(DOCKER) build --target scale --tag $(IMAGE_PREFIX)-scale:latest .
{%- endif %}

docker-build-with-model: uv.lock ## Build the API image with a model inside (MODEL_VERSION, default: latest)
	@test -n "$(MODEL_VERSION)" || { echo "No model to bake in: run make train first." >&2; exit 1; }
	$(DOCKER) build --target api-with-model --build-context models=models \
		--build-arg MODEL_VERSION=$(MODEL_VERSION) --tag $(IMAGE_PREFIX)-api:$(MODEL_VERSION) .

docker-up: uv.lock ## Start every service in the background (built if needed), wait until healthy
	$(COMPOSE) up --build --detach --wait

docker-down: ## Stop and remove the services
	$(COMPOSE) down

docker-logs: ## Follow the logs of the services
	$(COMPOSE) logs --follow
