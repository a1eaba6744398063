# Once per AWS account, by an administrator, with local state (see ../README.md):
# the Terraform state bucket, the image repositories, each environment's API key, the
# permissions boundary of the environments' roles, and the roles that CI jobs on GitHub assume
# through OIDC (no long-lived keys): push images, plan, and deploy.
terraform {
  required_version = ">= 1.11" # write-only arguments keep the API keys out of the state

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
  account_id   = data.aws_caller_identity.current.account_id
  state_bucket = "${var.project}-tfstate-${local.account_id}"
  github       = "repo:${var.github_repository}"
  images       = ["api"{% if cookiecutter.use_streamlit %}, "demo"{% endif %}{% if cookiecutter.use_dask %}, "scale"{% endif %}]
  # The environments of ../environments/ (each one a GitHub environment that the deploy role serves).
  environments  = ["staging", "prod"]
  model_buckets = [for environment in local.environments : "arn:aws:s3:::${var.project}-${environment}-models-${local.account_id}"]
{%- if cookiecutter.use_mlflow %}
  # Each environment's MLflow tracking server (../mlflow.tf), named like its other resources.
  tracking_servers = [for environment in local.environments : "arn:aws:sagemaker:${var.aws_region}:${local.account_id}:mlflow-tracking-server/${var.project}-${environment}"]
{%- endif %}
  # The environments' roles live under this path (../iam.tf), with the boundary of boundary.tf.
  role_path = "/${var.project}/"
}
