# The API key of this environment. bootstrap/ created it (random, in Secrets Manager, never in a
# Terraform state); ECS hands it to the tasks as a secret, so this stack's state, plans and task
# definitions hold only its name.
data "aws_secretsmanager_secret" "api_key" {
  name = "${var.project}/${var.environment}/api-key"
}

data "aws_kms_alias" "secrets" {
  name = "alias/${var.project}-secrets"
}
