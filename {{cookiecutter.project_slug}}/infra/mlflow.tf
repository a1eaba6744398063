# The experiments of this environment: a SageMaker managed MLflow tracking server. Its artifacts go
# to the model bucket under `mlflow/` (never `models/`, which only training writes and the services
# read). Who may log to it: the policy <project>-log-experiments-<env> of bootstrap/experiments.tf.
resource "aws_sagemaker_mlflow_tracking_server" "this" {
  tracking_server_name            = local.name # bootstrap/ grants logging to this name
  artifact_store_uri              = "s3://${module.models.id}/mlflow"
  role_arn                        = aws_iam_role.tracking_server.arn
  tracking_server_size            = var.tracking_server_size
  automatic_model_registration    = false # the model store is where versions are served from
  weekly_maintenance_window_start = "Sun:03:00"
}

# The server's own role: reads and writes the artifacts under `mlflow/`, nothing else.
data "aws_iam_policy_document" "sagemaker_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["sagemaker.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "tracking_server" {
  name                 = "${local.name}-mlflow"
  path                 = local.role_path
  permissions_boundary = local.permissions_boundary
  assume_role_policy   = data.aws_iam_policy_document.sagemaker_trust.json
}

data "aws_iam_policy_document" "tracking_artifacts" {
  statement {
    sid       = "ListTheArtifactPrefix"
    actions   = ["s3:ListBucket"]
    resources = [module.models.arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["mlflow", "mlflow/*"]
    }
  }
  statement {
    sid       = "ReadAndWriteTheArtifacts"
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = ["${module.models.arn}/mlflow/*"]
  }
  statement {
    sid       = "EncryptAndDecryptTheArtifacts"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [aws_kms_key.models.arn]
  }
}

resource "aws_iam_role_policy" "tracking_server" {
  name   = "mlflow-artifacts"
  role   = aws_iam_role.tracking_server.id
  policy = data.aws_iam_policy_document.tracking_artifacts.json
}

variable "tracking_server_size" {
  type        = string
  description = "Size of the MLflow tracking server: Small (up to 25 users), Medium (50) or Large (100)."
  default     = "Small"

  validation {
    condition     = contains(["Small", "Medium", "Large"], var.tracking_server_size)
    error_message = "tracking_server_size must be Small, Medium or Large."
  }
}

output "mlflow_tracking_server_arn" {
  description = "Set MLFLOW_TRACKING_URI to this (with the sagemaker dependency group) to log to this environment."
  value       = aws_sagemaker_mlflow_tracking_server.this.arn
}
