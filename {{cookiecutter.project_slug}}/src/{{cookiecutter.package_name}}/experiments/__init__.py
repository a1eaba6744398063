"""Experiment tracking with MLflow: training runs, the model registry and hyper-parameter tuning."""
