# Targets of the API component (included by the Makefile).
API_HOST ?= 127.0.0.1
API_PORT ?= 8000
API_WORKERS ?= 2
API_SETTINGS := {{ cookiecutter.package_name | upper }}_API
LOAD_USERS ?= 16
LOAD_SECONDS ?= 20

.PHONY: serve serve-prod load-test

# uvicorn polls src/ for changes (its stat reloader: no file-watcher dependency needed).
serve: check-uv ## Serve the latest model with auto-reload on code changes (http://127.0.0.1:8000/docs)
	$(UV) run uvicorn $(PACKAGE).api.app:create_app --factory --reload --reload-dir src --host $(API_HOST) --port $(API_PORT)

serve-prod: check-uv ## Serve with API_WORKERS workers and shared metrics, as in production
	$(API_SETTINGS)_HOST=$(API_HOST) $(API_SETTINGS)_PORT=$(API_PORT) $(API_SETTINGS)_WORKERS=$(API_WORKERS) \
		$(UV) run python -m $(PACKAGE).api.serve

load-test: check-uv ## Load-test a running service on loopback (LOAD_USERS, LOAD_SECONDS)
	$(UV) run locust -f loadtest/locustfile.py --headless --host http://$(API_HOST):$(API_PORT) --users $(LOAD_USERS) --spawn-rate $(LOAD_USERS) --run-time $(LOAD_SECONDS)s --only-summary
