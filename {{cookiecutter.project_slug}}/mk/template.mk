# Keeping the project in step with its template (scripts/template.py; the answers are in
# .cruft.json). Each merge needs a clean git tree and leaves its result staged for review.
TEMPLATE_SYNC = $(UV) run --quiet --script scripts/template.py

.PHONY: add-component remove-component update-template check-template

add-component: check-uv ## Add a component, keeping your edits: make add-component NAME=api
	$(TEMPLATE_SYNC) add "$(NAME)"

remove-component: check-uv ## Remove a component; files you changed are kept and listed
	$(TEMPLATE_SYNC) remove "$(NAME)"

update-template: check-uv ## Merge in the newest template version (CHECKOUT=<tag> for another)
	$(TEMPLATE_SYNC) update $(if $(CHECKOUT),--checkout "$(CHECKOUT)")

check-template: check-uv ## Fail when the template has moved on from the version recorded
	$(TEMPLATE_SYNC) check
