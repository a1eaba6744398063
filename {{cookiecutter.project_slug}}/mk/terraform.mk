# Targets of the Terraform component (included by the Makefile): ENV=staging (default) or ENV=prod.
ENV ?= staging
TERRAFORM ?= terraform
TF := $(TERRAFORM) -chdir=infra
TF_PLAN_FLAGS ?=

.PHONY: tf-init tf-plan tf-apply tf-fmt

tf-init: ## Initialise Terraform with the ENV environment's state (infra/environments/ENV.s3.tfbackend)
	$(TF) init -reconfigure -backend-config=environments/$(ENV).s3.tfbackend

tf-plan: ## Plan ENV's changes: make tf-plan ENV=staging IMAGE_TAG=sha-<commit>
	@test -n "$(IMAGE_TAG)" || { echo "IMAGE_TAG is required: the API image tag to deploy (sha-<commit>)." >&2; exit 1; }
	$(TF) plan $(TF_PLAN_FLAGS) -var-file=environments/$(ENV).tfvars -var image_tag=$(IMAGE_TAG) -out=$(ENV).tfplan

tf-apply: ## Apply the plan that tf-plan saved for ENV
	$(TF) apply $(ENV).tfplan

tf-fmt: ## Format the Terraform files
	$(TERRAFORM) fmt -recursive infra
