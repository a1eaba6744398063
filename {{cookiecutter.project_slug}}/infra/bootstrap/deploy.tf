# Deploy: Terraform on main, behind the protected staging and prod environments. It may manage
# what the environment stacks hold (network, load balancer, ECS, logs, autoscaling, the model
# buckets, KMS keys), each scoped to the project where AWS allows it. Of IAM, it may manage only
# roles under local.role_path that carry the permissions boundary (boundary.tf), pass them to ECS
# and VPC flow logs only, and never touch the GitHub roles, the project's policies or a boundary.
resource "aws_iam_role" "deploy" {
  name               = "${var.project}-github-deploy"
  assume_role_policy = data.aws_iam_policy_document.trust["deploy"].json
}

resource "aws_iam_role_policy_attachment" "deploy" {
  for_each = {
    read_stacks = aws_iam_policy.read_stacks.arn
    services    = aws_iam_policy.deploy_services.arn
    iam         = aws_iam_policy.deploy_iam.arn
  }
  role       = aws_iam_role.deploy.name
  policy_arn = each.value
}

resource "aws_iam_role_policy" "deploy_state" {
  name   = "terraform-state"
  role   = aws_iam_role.deploy.id
  policy = data.aws_iam_policy_document.deploy_state.json
}

data "aws_iam_policy_document" "deploy_state" {
  statement {
    sid       = "ListState"
    actions   = ["s3:ListBucket"]
    resources = [module.state_bucket.arn]
  }
  statement {
    sid       = "ReadWriteStateAndLocks"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["${module.state_bucket.arn}/*"]
  }
  statement {
    sid       = "UseTheStateKey"
    actions   = ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"]
    resources = [aws_kms_key.state.arn]
  }
}

locals {
  region_and_account = "${var.aws_region}:${local.account_id}"
}

resource "aws_iam_policy" "deploy_services" {
  name        = "${var.project}-deploy-services"
  description = "Manages the services of the ${var.project} environments."
  policy      = data.aws_iam_policy_document.deploy_services.json
}

data "aws_iam_policy_document" "deploy_services" {
  statement {
    sid = "ManageTheNetwork" # in this account and region; EC2 instances are not among them
    actions = [
      "ec2:AssociateRouteTable",
      "ec2:AttachInternetGateway",
      "ec2:AuthorizeSecurityGroupEgress",
      "ec2:AuthorizeSecurityGroupIngress",
      "ec2:CreateFlowLogs",
      "ec2:CreateInternetGateway",
      "ec2:CreateRoute",
      "ec2:CreateRouteTable",
      "ec2:CreateSecurityGroup",
      "ec2:CreateSubnet",
      "ec2:CreateTags",
      "ec2:CreateVpc",
      "ec2:DeleteFlowLogs",
      "ec2:DeleteInternetGateway",
      "ec2:DeleteRoute",
      "ec2:DeleteRouteTable",
      "ec2:DeleteSecurityGroup",
      "ec2:DeleteSubnet",
      "ec2:DeleteTags",
      "ec2:DeleteVpc",
      "ec2:DetachInternetGateway",
      "ec2:DisassociateRouteTable",
      "ec2:ModifySecurityGroupRules",
      "ec2:ModifySubnetAttribute",
      "ec2:ModifyVpcAttribute",
      "ec2:ReplaceRoute",
      "ec2:ReplaceRouteTableAssociation",
      "ec2:RevokeSecurityGroupEgress",
      "ec2:RevokeSecurityGroupIngress",
      "ec2:UpdateSecurityGroupRuleDescriptionsEgress",
      "ec2:UpdateSecurityGroupRuleDescriptionsIngress",
    ]
    resources = ["arn:aws:ec2:${local.region_and_account}:*"]
  }
  statement {
    sid = "ManageTheLoadBalancers"
    actions = [
      "elasticloadbalancing:AddTags",
      "elasticloadbalancing:CreateListener",
      "elasticloadbalancing:CreateLoadBalancer",
      "elasticloadbalancing:CreateRule",
      "elasticloadbalancing:CreateTargetGroup",
      "elasticloadbalancing:DeleteListener",
      "elasticloadbalancing:DeleteLoadBalancer",
      "elasticloadbalancing:DeleteRule",
      "elasticloadbalancing:DeleteTargetGroup",
      "elasticloadbalancing:ModifyListener",
      "elasticloadbalancing:ModifyListenerAttributes",
      "elasticloadbalancing:ModifyLoadBalancerAttributes",
      "elasticloadbalancing:ModifyRule",
      "elasticloadbalancing:ModifyTargetGroup",
      "elasticloadbalancing:ModifyTargetGroupAttributes",
      "elasticloadbalancing:RemoveTags",
      "elasticloadbalancing:SetIpAddressType",
      "elasticloadbalancing:SetRulePriorities",
      "elasticloadbalancing:SetSecurityGroups",
      "elasticloadbalancing:SetSubnets",
    ]
    resources = [
      "arn:aws:elasticloadbalancing:${local.region_and_account}:loadbalancer/app/${var.project}-*/*",
      "arn:aws:elasticloadbalancing:${local.region_and_account}:listener/app/${var.project}-*/*",
      "arn:aws:elasticloadbalancing:${local.region_and_account}:listener-rule/app/${var.project}-*/*",
      "arn:aws:elasticloadbalancing:${local.region_and_account}:targetgroup/${var.project}-*/*",
    ]
  }
  statement {
    sid = "ManageTheClustersAndServices"
    actions = [
      "ecs:CreateCluster",
      "ecs:CreateService",
      "ecs:DeleteCluster",
      "ecs:DeleteService",
      "ecs:PutClusterCapacityProviders",
      "ecs:TagResource",
      "ecs:UntagResource",
      "ecs:UpdateCluster",
      "ecs:UpdateClusterSettings",
      "ecs:UpdateService",
    ]
    resources = [
      "arn:aws:ecs:${local.region_and_account}:cluster/${var.project}-*",
      "arn:aws:ecs:${local.region_and_account}:service/${var.project}-*/*",
      "arn:aws:ecs:${local.region_and_account}:task-definition/${var.project}-*:*",
    ]
  }
  statement {
    sid       = "RegisterTaskDefinitions"
    actions   = ["ecs:DeregisterTaskDefinition", "ecs:RegisterTaskDefinition"]
    resources = ["*"] # cannot be scoped to a resource; the roles they name are limited by PassRole
  }
  statement {
    sid = "ManageTheLogGroups"
    actions = [
      "logs:AssociateKmsKey",
      "logs:CreateLogGroup",
      "logs:DeleteLogGroup",
      "logs:DeleteRetentionPolicy",
      "logs:DisassociateKmsKey",
      "logs:PutRetentionPolicy",
      "logs:TagLogGroup",
      "logs:TagResource",
      "logs:UntagLogGroup",
      "logs:UntagResource",
    ]
    resources = [
      "arn:aws:logs:${local.region_and_account}:log-group:/${var.project}/*",
      "arn:aws:logs:${local.region_and_account}:log-group:/${var.project}/*:*",
    ]
  }
  statement {
    sid = "ScaleTheServices"
    actions = [
      "application-autoscaling:DeleteScalingPolicy",
      "application-autoscaling:DeregisterScalableTarget",
      "application-autoscaling:PutScalingPolicy",
      "application-autoscaling:RegisterScalableTarget",
      "application-autoscaling:TagResource",
      "application-autoscaling:UntagResource",
    ]
    resources = ["*"] # scalable targets have generated ids, unknown beforehand
  }
  statement {
    sid       = "ManageTheScalingAlarms"
    actions   = ["cloudwatch:DeleteAlarms", "cloudwatch:PutMetricAlarm"]
    resources = ["arn:aws:cloudwatch:${local.region_and_account}:alarm:TargetTracking-service/${var.project}-*"]
  }
{%- if cookiecutter.use_mlflow %}
  statement {
    sid = "ManageTheTrackingServers" # ../mlflow.tf, one per environment
    actions = [
      "sagemaker:AddTags",
      "sagemaker:CreateMlflowTrackingServer",
      "sagemaker:DeleteMlflowTrackingServer",
      "sagemaker:DeleteTags",
      "sagemaker:DescribeMlflowTrackingServer",
      "sagemaker:ListTags",
      "sagemaker:UpdateMlflowTrackingServer",
    ]
    resources = local.tracking_servers
  }
{%- endif %}
  statement {
    sid = "ManageTheModelBuckets" # their configuration, not their objects
    actions = [
      "s3:CreateBucket",
      "s3:DeleteBucket",
      "s3:DeleteBucketPolicy",
      "s3:PutBucketPolicy",
      "s3:PutBucketPublicAccessBlock",
      "s3:PutBucketTagging",
      "s3:PutBucketVersioning",
      "s3:PutEncryptionConfiguration",
      "s3:PutLifecycleConfiguration",
    ]
    resources = local.model_buckets
  }
  statement {
    sid       = "CreateKeysTaggedForTheProject"
    actions   = ["kms:CreateKey", "kms:TagResource"]
    resources = ["*"] # a new key has no ARN yet; the request must carry the project's tag
    condition {
      test     = "StringEquals"
      variable = "aws:RequestTag/Project"
      values   = [var.project]
    }
  }
  statement {
    sid = "ManageTheProjectsKeys"
    actions = [
      "kms:CancelKeyDeletion",
      "kms:DisableKeyRotation",
      "kms:EnableKeyRotation",
      "kms:PutKeyPolicy",
      "kms:ScheduleKeyDeletion",
      "kms:TagResource",
      "kms:UntagResource",
      "kms:UpdateKeyDescription",
    ]
    resources = ["arn:aws:kms:${local.region_and_account}:key/*"]
    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/Project"
      values   = [var.project]
    }
  }
}

resource "aws_iam_policy" "deploy_iam" {
  name        = "${var.project}-deploy-iam"
  description = "Manages the bounded roles of the ${var.project} environments, and nothing else of IAM."
  policy      = data.aws_iam_policy_document.deploy_iam.json
}

data "aws_iam_policy_document" "deploy_iam" {
  statement {
    sid = "CreateAndChangeBoundedRolesOnly"
    actions = [
      "iam:CreateRole",
      "iam:DeleteRolePolicy",
      "iam:PutRolePermissionsBoundary",
      "iam:PutRolePolicy",
    ]
    resources = ["arn:aws:iam::${local.account_id}:role${local.role_path}*"]
    condition {
      test     = "StringEquals"
      variable = "iam:PermissionsBoundary"
      values   = [aws_iam_policy.boundary.arn]
    }
  }
  # AWS gives these no iam:PermissionsBoundary to test. They cannot widen what a role may do,
  # and every role under the path carries the boundary, as it can be created only with it.
  statement {
    sid = "TagAndRetireTheBoundedRoles"
    actions = [
      "iam:DeleteRole",
      "iam:TagRole",
      "iam:UntagRole",
      "iam:UpdateAssumeRolePolicy",
      "iam:UpdateRole",
      "iam:UpdateRoleDescription",
    ]
    resources = ["arn:aws:iam::${local.account_id}:role${local.role_path}*"]
  }
  statement {
    sid       = "PassTheBoundedRolesToEcsTasks"
    actions   = ["iam:PassRole"]
    resources = ["arn:aws:iam::${local.account_id}:role${local.role_path}*"]
    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ecs-tasks.amazonaws.com"]
    }
  }
  statement {
    sid       = "PassTheFlowLogsRolesToVpcFlowLogs"
    actions   = ["iam:PassRole"]
    resources = ["arn:aws:iam::${local.account_id}:role${local.role_path}*-flow-logs"]
    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["vpc-flow-logs.amazonaws.com"]
    }
  }
{%- if cookiecutter.use_mlflow %}
  statement {
    sid       = "PassTheTrackingServersRolesToSageMaker"
    actions   = ["iam:PassRole"]
    resources = ["arn:aws:iam::${local.account_id}:role${local.role_path}*-mlflow"]
    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["sagemaker.amazonaws.com"]
    }
  }
{%- endif %}
  statement {
    sid       = "CreateTheServicesLinkedRoles" # defined by AWS, assumable by their service only
    actions   = ["iam:CreateServiceLinkedRole"]
    resources = ["arn:aws:iam::${local.account_id}:role/aws-service-role/*"]
    condition {
      test     = "StringEquals"
      variable = "iam:AWSServiceName"
      values   = ["ecs.amazonaws.com", "ecs.application-autoscaling.amazonaws.com", "elasticloadbalancing.amazonaws.com"]
    }
  }
  statement {
    sid       = "NeverChangeTheGitHubRoles"
    effect    = "Deny"
    actions   = ["iam:*"]
    resources = [aws_iam_role.push.arn, aws_iam_role.plan.arn, aws_iam_role.deploy.arn{% if cookiecutter.use_mlflow %}, aws_iam_role.experiments.arn{% endif %}{% if cookiecutter.use_monitoring %}, aws_iam_role.monitor.arn{% endif %}]
  }
  statement {
    sid    = "NeverChangeTheProjectsPolicies" # the boundary and the GitHub roles' policies
    effect = "Deny"
    actions = [
      "iam:CreatePolicyVersion",
      "iam:DeletePolicy",
      "iam:DeletePolicyVersion",
      "iam:SetDefaultPolicyVersion",
      "iam:TagPolicy",
      "iam:UntagPolicy",
    ]
    resources = ["arn:aws:iam::${local.account_id}:policy/${var.project}-*"]
  }
  statement {
    sid       = "NeverRemoveABoundary"
    effect    = "Deny"
    actions   = ["iam:DeleteRolePermissionsBoundary"]
    resources = ["*"]
  }
}
