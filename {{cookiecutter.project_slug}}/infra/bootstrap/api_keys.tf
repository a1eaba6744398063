# Each environment's API key: random, in Secrets Manager, encrypted with a key of its own. It is
# written with a write-only argument, so neither this state nor a plan holds it, and the CI roles
# never read it: ECS hands it to the tasks (../iam.tf, execution role). To replace every key, apply
# again with -var api_key_version=<a higher number>, then restart the services (../README.md).
resource "aws_kms_key" "secrets" {
  description             = "Encrypts the API keys of ${var.project}."
  enable_key_rotation     = true
  deletion_window_in_days = 30
  #checkov:skip=CKV2_AWS_64:The default key policy (the account administers the key) is intended.
}

resource "aws_kms_alias" "secrets" {
  name          = "alias/${var.project}-secrets"
  target_key_id = aws_kms_key.secrets.key_id
}

resource "aws_secretsmanager_secret" "api_key" {
  for_each                = toset(local.environments)
  name                    = "${var.project}/${each.key}/api-key"
  description             = "X-API-Key of the ${var.project} API in ${each.key}."
  kms_key_id              = aws_kms_key.secrets.arn
  recovery_window_in_days = 7
  #checkov:skip=CKV2_AWS_57:Automatic rotation needs a Lambda function; rotate with api_key_version (see the comment above).
}

ephemeral "aws_secretsmanager_random_password" "api_key" {
  for_each            = toset(local.environments)
  password_length     = 48
  exclude_punctuation = true # letters and digits only: safe in an HTTP header and a shell
}

resource "aws_secretsmanager_secret_version" "api_key" {
  for_each                 = aws_secretsmanager_secret.api_key
  secret_id                = each.value.id
  secret_string_wo         = ephemeral.aws_secretsmanager_random_password.api_key[each.key].random_password
  secret_string_wo_version = var.api_key_version
}
