# CI jobs on GitHub assume these roles through OIDC; each trusts only this repository, and only the
# events it needs. None of them can change IAM outside the environments' bounded roles, nor
# itself (deploy.tf).
resource "aws_iam_openid_connect_provider" "github" {
  count          = var.create_github_oidc_provider ? 1 : 0
  url            = "https://token.actions.githubusercontent.com"
  client_id_list = ["sts.amazonaws.com"]
}

data "aws_iam_openid_connect_provider" "github" {
  count = var.create_github_oidc_provider ? 0 : 1
  url   = "https://token.actions.githubusercontent.com"
}

locals {
  github_provider_arn = (var.create_github_oidc_provider ?
  aws_iam_openid_connect_provider.github[0].arn : data.aws_iam_openid_connect_provider.github[0].arn)
}

data "aws_iam_policy_document" "trust" {
  # The GitHub environments carry no branch in the token: allow only main to deploy to them
  # (Settings > Environments > Deployment branches), see ../README.md.
  for_each = {
    push   = ["${local.github}:ref:refs/heads/main", "${local.github}:ref:refs/tags/v*"]
    plan   = ["${local.github}:pull_request"]
    deploy = ["${local.github}:environment:staging", "${local.github}:environment:prod"]
{%- if cookiecutter.use_mlflow %}

    # Logs the model check of pull requests to staging's tracking server only (experiments.tf).
    experiments = ["${local.github}:pull_request"]
{%- endif %}
{%- if cookiecutter.use_monitoring %}

    # Reads prod's prediction log and models for the scheduled drift report (monitoring.tf).
    monitor = ["${local.github}:ref:refs/heads/main"]
{%- endif %}
  }

  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [local.github_provider_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }
    condition {
      test     = "StringLike"
      variable = "token.actions.githubusercontent.com:sub"
      values   = each.value
    }
  }
}

# Push: image builds from main and version tags, to the project's repositories only.
resource "aws_iam_role" "push" {
  name               = "${var.project}-github-push"
  assume_role_policy = data.aws_iam_policy_document.trust["push"].json
}

data "aws_iam_policy_document" "push" {
  statement {
    sid       = "LogIn"
    actions   = ["ecr:GetAuthorizationToken"] # cannot be scoped to a repository
    resources = ["*"]
  }
  statement {
    sid = "PushToTheProjectsRepositories"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:CompleteLayerUpload",
      "ecr:DescribeImages",
      "ecr:InitiateLayerUpload",
      "ecr:PutImage",
      "ecr:UploadLayerPart",
    ]
    resources = [for repository in aws_ecr_repository.image : repository.arn]
  }
}

resource "aws_iam_role_policy" "push" {
  name   = "push-api-images"
  role   = aws_iam_role.push.id
  policy = data.aws_iam_policy_document.push.json
}

# Plan: Terraform on pull requests (of this repository, not forks). Any branch can change the
# workflow it runs, so this role reads only what a plan of the environments needs: the stacks'
# resources (no object of the model bucket, no secret value) and the state, and it writes only
# lock files.
resource "aws_iam_role" "plan" {
  name               = "${var.project}-github-plan"
  assume_role_policy = data.aws_iam_policy_document.trust["plan"].json
}

resource "aws_iam_role_policy_attachment" "plan_reads" {
  role       = aws_iam_role.plan.name
  policy_arn = aws_iam_policy.read_stacks.arn
}

resource "aws_iam_role_policy" "plan_state" {
  name   = "terraform-state"
  role   = aws_iam_role.plan.id
  policy = data.aws_iam_policy_document.plan_state.json
}

data "aws_iam_policy_document" "plan_state" {
  statement {
    sid       = "ListState"
    actions   = ["s3:ListBucket"]
    resources = [module.state_bucket.arn]
  }
  statement {
    sid       = "ReadStateOnly" # the plan runs with -lock=false, so it never writes a lock file
    actions   = ["s3:GetObject"]
    resources = ["${module.state_bucket.arn}/*"]
  }
  statement {
    sid       = "DecryptTheState"
    actions   = ["kms:Decrypt"]
    resources = [aws_kms_key.state.arn]
  }
}

# What refreshing the environments' resources reads: their configuration, never their data.
resource "aws_iam_policy" "read_stacks" {
  name        = "${var.project}-read-stacks"
  description = "Reads the configuration of the ${var.project} environments, for terraform plan."
  policy      = data.aws_iam_policy_document.read_stacks.json
}

data "aws_iam_policy_document" "read_stacks" {
  statement {
    sid = "DescribeTheServices"
    actions = [
      "application-autoscaling:Describe*",
      "application-autoscaling:ListTagsForResource",
      "cloudwatch:DescribeAlarms",
      "ec2:Describe*",
      "ecs:Describe*",
      "ecs:List*",
      "elasticloadbalancing:Describe*",
      "kms:DescribeKey",
      "kms:GetKeyPolicy",
      "kms:GetKeyRotationStatus",
      "kms:ListAliases",
      "kms:ListResourceTags",
      "logs:Describe*",
      "logs:ListTagsForResource",
      "logs:ListTagsLogGroup",
    ]
    resources = ["*"] # these describe actions cannot be scoped to a resource
  }
  statement {
    sid       = "DescribeTheImageRepositories"
    actions   = ["ecr:DescribeImages", "ecr:DescribeRepositories", "ecr:ListTagsForResource"]
    resources = [for repository in aws_ecr_repository.image : repository.arn]
  }
  statement {
    sid       = "DescribeTheApiKeys{% if cookiecutter.use_monitoring %}AndTheSigningKeys{% endif %}"
    actions   = ["secretsmanager:DescribeSecret", "secretsmanager:GetResourcePolicy"]
    resources = [for secret in {% if cookiecutter.use_monitoring %}concat(values(aws_secretsmanager_secret.api_key), values(aws_secretsmanager_secret.signing_key)){% else %}aws_secretsmanager_secret.api_key{% endif %} : secret.arn]
  }
  statement {
    sid = "ReadTheEnvironmentsRoles"
    actions = [
      "iam:GetRole",
      "iam:GetRolePolicy",
      "iam:ListAttachedRolePolicies",
      "iam:ListInstanceProfilesForRole",
      "iam:ListRolePolicies",
    ]
    resources = ["arn:aws:iam::${local.account_id}:role${local.role_path}*"]
  }
{%- if cookiecutter.use_mlflow %}
  statement {
    sid       = "DescribeTheTrackingServers"
    actions   = ["sagemaker:DescribeMlflowTrackingServer", "sagemaker:ListTags"]
    resources = local.tracking_servers
  }
{%- endif %}
  statement {
    sid = "ReadTheModelBucketsConfiguration"
    actions = [
      "s3:GetAccelerateConfiguration",
      "s3:GetBucket*",
      "s3:GetEncryptionConfiguration",
      "s3:GetLifecycleConfiguration",
      "s3:GetReplicationConfiguration",
      "s3:ListBucket",
    ]
    resources = local.model_buckets
  }
}
