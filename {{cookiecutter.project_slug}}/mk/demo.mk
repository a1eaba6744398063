# Targets of the Streamlit demo component (included by the Makefile).
DEMO_HOST ?= 127.0.0.1
DEMO_PORT ?= 8501

.PHONY: demo

demo: check-uv ## Run the Streamlit demo on http://127.0.0.1:8501 (DEMO_PORT to change it)
	$(UV) run python -m $(PACKAGE).demo --server.address $(DEMO_HOST) --server.port $(DEMO_PORT)
