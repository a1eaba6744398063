# Targets of the scale component, Dask (included by the Makefile).
SCALE := $(UV) run python -m $(PACKAGE).scale

.PHONY: batch-predict{% if cookiecutter.use_terraform and cookiecutter.use_docker %} train-remote scale-outputs{% endif %}

batch-predict: check-uv ## Predict a CSV/Parquet file, glob or folder on Dask: make batch-predict INPUT=… OUTPUT=… [MODEL=] [FORMAT=csv] [OVERWRITE=1]
	@if [ -z "$$INPUT" ] || [ -z "$$OUTPUT" ]; then echo 'Give the input and output: make batch-predict INPUT=data/unlabelled.csv OUTPUT=predictions' >&2; exit 2; fi
	$(SCALE) batch-predict "$$INPUT" "$$OUTPUT" $(if $(MODEL),--version "$$MODEL") $(if $(FORMAT),--format "$$FORMAT") $(if $(filter 1 yes true,$(OVERWRITE)),--overwrite)
{%- if cookiecutter.use_terraform and cookiecutter.use_docker %}

train-remote: check-uv ## Train on AWS Fargate, logs streamed here: make train-remote [CPU=4096] [MEMORY=16384] [DATA=s3://…/*.csv]
	$(SCALE) train-remote $(if $(CPU),--cpu "$(CPU)") $(if $(MEMORY),--memory "$(MEMORY)") $(if $(DATA),--data "$(DATA)")

scale-outputs: tf-init ## Save ENV's Terraform outputs for DASK_CLUSTER=fargate and train-remote (infra/outputs.json)
	$(TF) output -json > infra/outputs.json
	@echo "Saved $(ENV)'s outputs to infra/outputs.json."
{%- endif %}
