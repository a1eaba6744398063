# Targets of the monitoring component (included by the Makefile).
MONITORING := $(UV) run python -m $(PACKAGE).monitoring

.PHONY: monitor export-feedback promote

monitor: check-uv ## Check the traffic served for drift and write reports/monitoring/ (fails on drift): make monitor [DAYS=7] [UNTIL=YYYY-MM-DD] [VERSION=]
	$(MONITORING) report $(if $(DAYS),--days "$$DAYS") $(if $(UNTIL),--until "$$UNTIL") $(if $(VERSION),--version "$$VERSION")

export-feedback: check-uv ## Write the served messages that got feedback as labelled data: make export-feedback [OUTPUT=data/labelled/feedback.csv]
	$(MONITORING) export-feedback $(if $(OUTPUT),--output "$$OUTPUT")

promote: check-uv ## Show how VERSION did against the version served, then serve it: make promote VERSION=… [YES=1]
	@if [ -z "$$VERSION" ]; then echo 'Give the version to serve: make promote VERSION=<version> (make versions lists them)' >&2; exit 2; fi
	$(MONITORING) promote "$$VERSION" $(if $(filter 1 yes true,$(YES)),--yes)
