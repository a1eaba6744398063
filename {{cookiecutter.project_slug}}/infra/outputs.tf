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
  value       = module.models.id
}

output "ecr_repository_url" {
  description = "The repository the API image is deployed from."
  value       = data.aws_ecr_repository.api.repository_url
}

output "api_key_secret" {
  description = "Secrets Manager secret that holds this environment's API key (send it as X-API-Key)."
  value       = data.aws_secretsmanager_secret.api_key.name
}
