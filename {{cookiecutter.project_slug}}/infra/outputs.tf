output "service_url" {
  description = "Where the API answers."
  value       = "${local.https ? "https" : "http"}://${aws_lb.main.dns_name}"
}

output "model_store" {
  description = "Set <PACKAGE>_MODEL_STORE to this to train into (or serve from) this environment."
  value       = local.model_store
}

output "model_bucket" {
  description = "The bucket of this environment's models."
  value       = aws_s3_bucket.models.bucket
}

output "ecr_repository_url" {
  description = "The repository the API image is deployed from."
  value       = data.aws_ecr_repository.api.repository_url
}
