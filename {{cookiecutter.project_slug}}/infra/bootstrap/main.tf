# Once per AWS account, by an administrator, with local state (see ../README.md):
# the Terraform state bucket, the API image repository, and the roles that CI jobs on
# GitHub assume through OIDC (no long-lived keys): push images, plan, and deploy.
terraform {
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "6.59.0"
    }
  }
}

provider "aws" {
  region = var.aws_region

  default_tags {
    tags = {
      Project   = var.project
      ManagedBy = "terraform"
    }
  }
}

data "aws_caller_identity" "current" {}

locals {
  state_bucket = "${var.project}-tfstate-${data.aws_caller_identity.current.account_id}"
  github       = "repo:${var.github_repository}"
  images       = ["api"{% if cookiecutter.use_streamlit %}, "demo"{% endif %}]
}
