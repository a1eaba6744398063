# Targets of the monitoring component (included by the Makefile).
MONITORING := $(UV) run python -m $(PACKAGE).monitoring

.PHONY: export-feedback

export-feedback: check-uv ## Write the served messages that got feedback as labelled data: make export-feedback [OUTPUT=data/labelled/feedback.csv]
	$(MONITORING) export-feedback $(if $(OUTPUT),--output "$$OUTPUT")
