# The API's prediction log (the monitoring component): `prediction-log/` of the models bucket,
# kept var.prediction_log_retention_days days. The API tasks may only add files to it; the key
# that signs request ids comes from Secrets Manager (bootstrap/monitoring.tf), the same for
# every task, so that any task takes feedback for any prediction.
variable "prediction_log_retention_days" {
  type        = number
  description = "Days the prediction log and its feedback are kept."
  default     = 90

  validation {
    condition     = var.prediction_log_retention_days >= 1
    error_message = "prediction_log_retention_days must be at least 1."
  }
}

variable "challenger_version" {
  type        = string
  description = "Model version the API tasks also score in shadow, for make monitor to compare with the one served (make promote serves it); empty for none."
  default     = ""

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]*$", var.challenger_version))
    error_message = "challenger_version must be a version or alias of the store (letters, digits, '.', '_', '-'), or empty."
  }
}

locals {
  prediction_log = "s3://${module.models.id}/prediction-log"
}

data "aws_secretsmanager_secret" "signing_key" {
  name = "${var.project}/${var.environment}/prediction-signing-key"
}

# The API tasks: read the models (iam.tf) and add files to the log, nothing else.
data "aws_iam_policy_document" "api_task" {
  source_policy_documents = [data.aws_iam_policy_document.read_models.json]
  statement {
    sid       = "AddToThePredictionLog"
    actions   = ["s3:PutObject"]
    resources = ["${module.models.arn}/prediction-log/*"]
  }
  statement {
    sid       = "EncryptThePredictionLog"
    actions   = ["kms:GenerateDataKey"]
    resources = [aws_kms_key.models.arn]
  }
}
