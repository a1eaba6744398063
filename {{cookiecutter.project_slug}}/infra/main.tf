# One environment (staging or prod) of the model service: network, model bucket, load balancer,
# and the API on ECS Fargate. Account-level pieces (state bucket, image repositories, API keys,
# GitHub roles, the permissions boundary) are in bootstrap/.
data "aws_caller_identity" "current" {}

data "aws_availability_zones" "used" {
  state = "available"

  filter {
    name   = "zone-name"
    values = ["${var.aws_region}a", "${var.aws_region}b"]
  }
}

data "aws_ecr_repository" "api" {
  name = "${var.project}-api"
}

locals {
  name        = "${var.project}-${var.environment}"
  account_id  = data.aws_caller_identity.current.account_id
  zones       = data.aws_availability_zones.used.names
  model_store = "s3://${module.models.id}/models"
  https       = var.certificate_arn != ""
  # Every role of this stack lives under this path and carries this boundary: the deploy role may
  # create and change roles only there, and only with the boundary (see bootstrap/boundary.tf).
  role_path            = "/${var.project}/"
  permissions_boundary = "arn:aws:iam::${local.account_id}:policy/${var.project}-workload-boundary"
}
