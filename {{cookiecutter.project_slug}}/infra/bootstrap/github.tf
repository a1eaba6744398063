# CI jobs on GitHub assume these roles through OIDC; each trusts only this repository, and only the
# events it needs.
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
  for_each = {
    push   = ["${local.github}:ref:refs/heads/main", "${local.github}:ref:refs/tags/v*"]
    plan   = ["${local.github}:pull_request"]
    deploy = ["${local.github}:environment:staging", "${local.github}:environment:prod"]
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

# Plan: Terraform on pull requests reads everything and may lock the state.
resource "aws_iam_role" "plan" {
  name               = "${var.project}-github-plan"
  assume_role_policy = data.aws_iam_policy_document.trust["plan"].json
}

resource "aws_iam_role_policy_attachment" "plan_reads" {
  role       = aws_iam_role.plan.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

# Deploy: Terraform on main, behind the protected staging and prod environments.
# Terraform manages many services, so this role gets AWS's PowerUserAccess plus what it needs of
# IAM: the roles and policies of this project only.
resource "aws_iam_role" "deploy" {
  name               = "${var.project}-github-deploy"
  assume_role_policy = data.aws_iam_policy_document.trust["deploy"].json
}

resource "aws_iam_role_policy_attachment" "deploy_services" {
  role       = aws_iam_role.deploy.name
  policy_arn = "arn:aws:iam::aws:policy/PowerUserAccess"
}

data "aws_iam_policy_document" "deploy_iam" {
  statement {
    sid = "ManageTheProjectsRoles"
    actions = [
      "iam:AttachRolePolicy",
      "iam:CreateRole",
      "iam:DeleteRole",
      "iam:DeleteRolePolicy",
      "iam:DetachRolePolicy",
      "iam:GetRole",
      "iam:GetRolePolicy",
      "iam:ListAttachedRolePolicies",
      "iam:ListInstanceProfilesForRole",
      "iam:ListRolePolicies",
      "iam:PassRole",
      "iam:PutRolePolicy",
      "iam:TagRole",
      "iam:UntagRole",
      "iam:UpdateAssumeRolePolicy",
    ]
    resources = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/${var.project}-*"]
  }
}

resource "aws_iam_role_policy" "deploy_iam" {
  name   = "manage-project-roles"
  role   = aws_iam_role.deploy.id
  policy = data.aws_iam_policy_document.deploy_iam.json
}

# Both Terraform roles use the state bucket and its key.
data "aws_iam_policy_document" "state" {
  statement {
    sid       = "ListState"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.state.arn]
  }
  statement {
    sid       = "ReadWriteStateAndLocks"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["${aws_s3_bucket.state.arn}/*"]
  }
  statement {
    sid       = "UseTheStateKey"
    actions   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]
    resources = [aws_kms_key.state.arn]
  }
}

resource "aws_iam_role_policy" "state" {
  for_each = { plan = aws_iam_role.plan.id, deploy = aws_iam_role.deploy.id }
  name     = "terraform-state"
  role     = each.value
  policy   = data.aws_iam_policy_document.state.json
}
