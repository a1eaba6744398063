# Targets of the experiments component, MLflow (included by the Makefile).
# The UI and server run in their own environment, never the project's. Not 3.18.0, the client's
# version: it needs mlflow-tracing 3.18.0, which is not published.
MLFLOW := $(UV) tool run --from mlflow==3.17.2 mlflow
MLFLOW_LOCAL_STORE := sqlite:///mlruns/mlflow.db
EXPERIMENTS := $(UV) run python -m $(PACKAGE).experiments

.PHONY: mlflow-ui mlflow-sync mlflow-backfill tune

mlflow-ui: check-uv ## Open the MLflow UI on http://127.0.0.1:5000 over the project's runs (mlruns/)
	$(MLFLOW) ui --host 127.0.0.1 --port 5000 --backend-store-uri $(MLFLOW_LOCAL_STORE)

mlflow-sync: check-uv ## Point MLflow's champion alias at the store's latest (after an interrupted promotion)
	$(EXPERIMENTS) sync

mlflow-backfill: check-uv ## Log the versions stored before MLflow was added as runs, and register them
	$(EXPERIMENTS) backfill

TRIALS ?= 30
TIMEOUT ?= 600

tune: check-uv ## Search hyper-parameters (TRIALS=30, TIMEOUT=600 s); the best go to params.json for make train
	$(EXPERIMENTS) tune --trials $(TRIALS) $(if $(TIMEOUT),--timeout $(TIMEOUT))
