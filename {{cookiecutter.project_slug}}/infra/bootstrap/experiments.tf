# Logging to the environments' MLflow tracking servers (../mlflow.tf): one policy per environment,
# for whoever trains there (attach it to their role or user), and the GitHub role whose pull-request
# jobs log their model check to staging's server. The registry there never decides what is served
# (the model store does), so logging cannot change the running service.
data "aws_iam_policy_document" "log_experiments" {
  for_each = toset(local.environments)

  statement {
    sid = "LogRunsAndRegisterVersions" # no deletion of experiments, runs or registered models
    actions = [
      "sagemaker-mlflow:CreateExperiment",
      "sagemaker-mlflow:CreateModelVersion",
      "sagemaker-mlflow:CreateRegisteredModel",
      "sagemaker-mlflow:CreateRun",
      "sagemaker-mlflow:FinalizeLoggedModel",
      "sagemaker-mlflow:GetExperiment",
      "sagemaker-mlflow:GetExperimentByName",
      "sagemaker-mlflow:GetLoggedModel",
      "sagemaker-mlflow:GetMetricHistory",
      "sagemaker-mlflow:GetModelVersion",
      "sagemaker-mlflow:GetModelVersionByAlias",
      "sagemaker-mlflow:GetRegisteredModel",
      "sagemaker-mlflow:GetRun",
      "sagemaker-mlflow:ListArtifacts",
      "sagemaker-mlflow:ListLoggedModelArtifacts",
      "sagemaker-mlflow:LogBatch",
      "sagemaker-mlflow:LogInputs",
      "sagemaker-mlflow:LogLoggedModelParams",
      "sagemaker-mlflow:LogMetric",
      "sagemaker-mlflow:LogModel",
      "sagemaker-mlflow:LogOutputs",
      "sagemaker-mlflow:LogParam",
      "sagemaker-mlflow:SearchExperiments",
      "sagemaker-mlflow:SearchLoggedModels",
      "sagemaker-mlflow:SearchModelVersions",
      "sagemaker-mlflow:SearchRegisteredModels",
      "sagemaker-mlflow:SearchRuns",
      "sagemaker-mlflow:SetExperimentTag",
      "sagemaker-mlflow:SetLoggedModelTags",
      "sagemaker-mlflow:SetModelVersionTag",
      "sagemaker-mlflow:SetRegisteredModelAlias",
      "sagemaker-mlflow:SetTag",
      "sagemaker-mlflow:UpdateRun",
    ]
    resources = ["arn:aws:sagemaker:${var.aws_region}:${local.account_id}:mlflow-tracking-server/${var.project}-${each.key}"]
  }
  # The client reads and writes the artifacts itself, under the server's prefix only.
  statement {
    sid       = "ListTheArtifactPrefix"
    actions   = ["s3:ListBucket"]
    resources = ["arn:aws:s3:::${var.project}-${each.key}-models-${local.account_id}"]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["mlflow", "mlflow/*"]
    }
  }
  statement {
    sid       = "ReadAndWriteTheArtifacts"
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = ["arn:aws:s3:::${var.project}-${each.key}-models-${local.account_id}/mlflow/*"]
  }
  statement {
    sid       = "UseTheProjectsKeysThroughS3"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
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

resource "aws_iam_policy" "log_experiments" {
  for_each    = data.aws_iam_policy_document.log_experiments
  name        = "${var.project}-log-experiments-${each.key}"
  description = "Logs runs and registers models on the ${each.key} MLflow tracking server of ${var.project}."
  policy      = each.value.json
}

# Experiments: the model-check workflow on pull requests (of this repository, not forks) logs its
# run to staging's tracking server, and can do nothing else in AWS.
resource "aws_iam_role" "experiments" {
  name               = "${var.project}-github-experiments"
  assume_role_policy = data.aws_iam_policy_document.trust["experiments"].json
}

resource "aws_iam_role_policy_attachment" "experiments" {
  role       = aws_iam_role.experiments.name
  policy_arn = aws_iam_policy.log_experiments["staging"].arn
}

output "experiments_role_arn" {
  description = "GitHub repository variable AWS_EXPERIMENTS_ROLE_ARN (with MLFLOW_TRACKING_URI, staging's tracking server)."
  value       = aws_iam_role.experiments.arn
}
