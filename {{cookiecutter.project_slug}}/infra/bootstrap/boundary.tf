# The permissions boundary of every role that the environments create (../iam.tf and the
# services' task roles): the most such a role may ever do, whatever policy the deploy role gives
# it. The deploy role may create or change a role only with this boundary (deploy.tf), so no role
# it makes can do more than run the service. A new component that needs more of AWS (another
# bucket, a queue...) adds it to WorkloadsMayOnly below.
resource "aws_iam_policy" "boundary" {
  name        = "${var.project}-workload-boundary"
  description = "Permissions boundary of the roles that the ${var.project} environments create."
  policy      = data.aws_iam_policy_document.boundary.json
}

data "aws_iam_policy_document" "boundary" {
  statement {
    sid       = "WorkloadsMayOnlyReadTheModels"
    actions   = ["s3:GetObject", "s3:ListBucket"]
    resources = flatten([for bucket in local.model_buckets : [bucket, "${bucket}/*"]])
  }
{%- if cookiecutter.use_mlflow %}
  statement {
    sid       = "WorkloadsMayOnlyWriteTheTrackingArtifacts" # the MLflow tracking servers' roles
    actions   = ["s3:PutObject"]
    resources = [for bucket in local.model_buckets : "${bucket}/mlflow/*"]
  }
{%- endif %}
{%- if cookiecutter.use_monitoring %}
  statement {
    sid       = "WorkloadsMayOnlyAddToThePredictionLog" # the API tasks of ../monitoring.tf
    actions   = ["s3:PutObject"]
    resources = [for bucket in local.model_buckets : "${bucket}/prediction-log/*"]
  }
{%- endif %}
{%- if cookiecutter.use_dask %}
  statement {
    sid       = "WorkloadsMayOnlyWriteTheBatchOutput" # the Dask workers of ../scale.tf
    actions   = ["s3:AbortMultipartUpload", "s3:PutObject"]
    resources = [for bucket in local.model_buckets : "${bucket}/batch/output/*"]
  }
  statement {
    # The training task of ../scale.tf; the delete is the second half of a store's rename.
    sid       = "OnlyTheTrainingRolesMayWriteTheModels"
    actions   = ["s3:DeleteObject", "s3:PutObject"]
    resources = [for bucket in local.model_buckets : "${bucket}/models/*"]
    condition {
      test     = "ArnLike"
      variable = "aws:PrincipalArn"
      values   = ["arn:aws:iam::${local.account_id}:role${local.role_path}${var.project}-*-train"]
    }
  }
{%- endif %}
{%- if cookiecutter.use_mlflow or cookiecutter.use_dask or cookiecutter.use_monitoring %}
  statement {
    sid       = "WorkloadsMayOnlyEncryptWithTheProjectsKeys"
    actions   = ["kms:GenerateDataKey"]
    resources = ["arn:aws:kms:${var.aws_region}:${local.account_id}:key/*"]
    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/Project"
      values   = [var.project]
    }
  }
{%- endif %}
  statement {
    sid       = "WorkloadsMayOnlyDecryptWithTheProjectsKeys"
    actions   = ["kms:Decrypt"]
    resources = ["arn:aws:kms:${var.aws_region}:${local.account_id}:key/*"]
    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/Project"
      values   = [var.project]
    }
  }
  statement {
    sid       = "WorkloadsMayOnlyWriteTheProjectsLogs"
    actions   = ["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"]
    resources = ["arn:aws:logs:${var.aws_region}:${local.account_id}:log-group:/${var.project}/*"]
  }
  statement {
    sid       = "WorkloadsMayOnlyLogInToEcr"
    actions   = ["ecr:GetAuthorizationToken"] # cannot be scoped to a repository
    resources = ["*"]
  }
  statement {
    sid       = "WorkloadsMayOnlyPullTheProjectsImages"
    actions   = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    resources = [for repository in aws_ecr_repository.image : repository.arn]
  }
  statement {
    sid       = "WorkloadsMayOnlyReadTheApiKeys{% if cookiecutter.use_monitoring %}AndTheSigningKeys{% endif %}"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [for secret in {% if cookiecutter.use_monitoring %}concat(values(aws_secretsmanager_secret.api_key), values(aws_secretsmanager_secret.signing_key)){% else %}aws_secretsmanager_secret.api_key{% endif %} : secret.arn]
  }
  # Should the statements above ever grow, these still hold: a bounded role never changes IAM,
  # neither roles nor this boundary, and never removes a boundary.
  statement {
    sid       = "NoIamChanges"
    effect    = "Deny"
    actions   = ["iam:*"]
    resources = ["*"]
  }
}
