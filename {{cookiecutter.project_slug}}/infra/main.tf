# One environment (staging or prod) of the model service: network, model bucket, load balancer,
# and the API on ECS Fargate. Account-level pieces (state bucket, image repository, GitHub roles)
# are in bootstrap/.
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
  zones       = data.aws_availability_zones.used.names
  model_store = "s3://${aws_s3_bucket.models.bucket}/models"
  https       = var.certificate_arn != ""
}
