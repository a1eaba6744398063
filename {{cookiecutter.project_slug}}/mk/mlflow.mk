# Targets of the experiments component, MLflow (included by the Makefile).
# The UI and server run in their own environment, never the project's.
MLFLOW := $(UV) tool run --from mlflow==3.18.0 mlflow
MLFLOW_LOCAL_STORE := sqlite:///mlruns/mlflow.db

.PHONY: mlflow-ui

mlflow-ui: check-uv ## Open the MLflow UI on http://127.0.0.1:5000 over the project's runs (mlruns/)
	$(MLFLOW) ui --host 127.0.0.1 --port 5000 --backend-store-uri $(MLFLOW_LOCAL_STORE)

TRIALS ?= 30
TIMEOUT ?= 600

.PHONY: tune

tune: check-uv ## Search hyper-parameters (TRIALS=30, TIMEOUT=600 s); the best go to params.json for make train
	$(UV) run python -m $(PACKAGE).experiments tune --trials $(TRIALS) $(if $(TIMEOUT),--timeout $(TIMEOUT))
