# The roles of the running service. Each lives under local.role_path with the permissions
# boundary of bootstrap/, the only roles the deploy role may create or change.
data "aws_iam_policy_document" "ecs_tasks_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

# ECS itself, when it starts a task: pulls the image, writes the logs, reads the API key.
resource "aws_iam_role" "execution" {
  name                 = "${local.name}-execution"
  path                 = local.role_path
  permissions_boundary = local.permissions_boundary
  assume_role_policy   = data.aws_iam_policy_document.ecs_tasks_trust.json
}

data "aws_iam_policy_document" "execution" {
  statement {
    sid       = "LogInToEcr"
    actions   = ["ecr:GetAuthorizationToken"] # cannot be scoped to a repository
    resources = ["*"]
  }
  statement {
    sid       = "PullTheProjectsImages"
    actions   = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    resources = ["arn:aws:ecr:${var.aws_region}:${local.account_id}:repository/${var.project}-*"]
  }
  statement {
    sid       = "WriteTheLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["arn:aws:logs:${var.aws_region}:${local.account_id}:log-group:/${var.project}/${var.environment}/*"]
  }
  statement {
    sid       = "ReadTheApiKey{% if cookiecutter.use_monitoring %}AndTheSigningKey{% endif %}"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [data.aws_secretsmanager_secret.api_key.arn{% if cookiecutter.use_monitoring %}, data.aws_secretsmanager_secret.signing_key.arn{% endif %}]
  }
  statement {
    sid       = "DecryptTheApiKey"
    actions   = ["kms:Decrypt"]
    resources = [data.aws_kms_alias.secrets.target_key_arn]
    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["secretsmanager.${var.aws_region}.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "execution" {
  name   = "start-tasks"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution.json
}

# The services' tasks (their task roles, modules/ecs-service): read the models, nothing else.
data "aws_iam_policy_document" "read_models" {
  statement {
    sid       = "ListTheModelPrefix"
    actions   = ["s3:ListBucket"]
    resources = [module.models.arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["models", "models/*"]
    }
  }
  statement {
    sid       = "ReadTheModels"
    actions   = ["s3:GetObject"]
    resources = ["${module.models.arn}/models/*"]
  }
  statement {
    sid       = "DecryptTheModels"
    actions   = ["kms:Decrypt"]
    resources = [aws_kms_key.models.arn]
  }
}

data "aws_iam_policy_document" "flow_logs_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["vpc-flow-logs.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "flow_logs" {
  name                 = "${local.name}-flow-logs"
  path                 = local.role_path
  permissions_boundary = local.permissions_boundary
  assume_role_policy   = data.aws_iam_policy_document.flow_logs_trust.json
}

data "aws_iam_policy_document" "write_flow_logs" {
  statement {
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]
    resources = ["${aws_cloudwatch_log_group.flow.arn}:*"]
  }
}

resource "aws_iam_role_policy" "flow_logs" {
  name   = "write-flow-logs"
  role   = aws_iam_role.flow_logs.id
  policy = data.aws_iam_policy_document.write_flow_logs.json
}
