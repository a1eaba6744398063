# Each environment's key that signs the API's request ids (the monitoring component, ../monitoring.tf):
# random, in Secrets Manager, written like the API keys (api_keys.tf), so that neither this state
# nor a plan holds it. Replacing it (-var signing_key_version=<a higher number>) makes the ids
# already handed out unknown to /v1/feedback.
variable "signing_key_version" {
  type        = number
  description = "Raise to replace every environment's request-id signing key."
  default     = 1

  validation {
    condition     = var.signing_key_version >= 1 && floor(var.signing_key_version) == var.signing_key_version
    error_message = "signing_key_version must be a whole number, at least 1."
  }
}

resource "aws_secretsmanager_secret" "signing_key" {
  for_each                = toset(local.environments)
  name                    = "${var.project}/${each.key}/prediction-signing-key"
  description             = "Signs the request ids of the ${var.project} API in ${each.key}."
  kms_key_id              = aws_kms_key.secrets.arn
  recovery_window_in_days = 7
  #checkov:skip=CKV2_AWS_57:Automatic rotation needs a Lambda function; rotate with signing_key_version (see the comment above).
}

ephemeral "aws_secretsmanager_random_password" "signing_key" {
  for_each            = toset(local.environments)
  password_length     = 64
  exclude_punctuation = true
}

resource "aws_secretsmanager_secret_version" "signing_key" {
  for_each                 = aws_secretsmanager_secret.signing_key
  secret_id                = each.value.id
  secret_string_wo         = ephemeral.aws_secretsmanager_random_password.signing_key[each.key].random_password
  secret_string_wo_version = var.signing_key_version
}

# Monitor: GitHub jobs on main (the scheduled drift report, `make monitor` on prod's traffic) read
# prod's prediction log and models, and can do nothing else: no write, no secret, no other prefix
# of the bucket.
data "aws_iam_policy_document" "read_prediction_log" {
  statement {
    sid       = "ListTheLogAndTheModels"
    actions   = ["s3:ListBucket"]
    resources = ["arn:aws:s3:::${var.project}-prod-models-${local.account_id}"]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["prediction-log", "prediction-log/*", "models", "models/*"]
    }
  }
  statement {
    sid     = "ReadTheLogAndTheModels"
    actions = ["s3:GetObject"]
    resources = [
      "arn:aws:s3:::${var.project}-prod-models-${local.account_id}/prediction-log/*",
      "arn:aws:s3:::${var.project}-prod-models-${local.account_id}/models/*",
    ]
  }
  statement {
    sid       = "DecryptThroughS3"
    actions   = ["kms:Decrypt"]
    resources = ["arn:aws:kms:${local.region_and_account}:key/*"]
    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/Project"
      values   = [var.project]
    }
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${var.aws_region}.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "monitor" {
  name               = "${var.project}-github-monitor"
  assume_role_policy = data.aws_iam_policy_document.trust["monitor"].json
}

resource "aws_iam_role_policy" "monitor" {
  name   = "read-the-prediction-log"
  role   = aws_iam_role.monitor.id
  policy = data.aws_iam_policy_document.read_prediction_log.json
}

output "monitor_role_arn" {
  description = "GitHub repository variable AWS_MONITOR_ROLE_ARN: the scheduled drift report reads prod's prediction log with it."
  value       = aws_iam_role.monitor.arn
}
