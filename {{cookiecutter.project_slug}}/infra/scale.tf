# Past one machine: batch scoring on an ephemeral Dask cluster (`DASK_CLUSTER=fargate`) and
# training as a one-off task (`make train-remote`), on Fargate in this environment's ECS cluster,
# from the project's scale image. Nothing here runs until someone starts a task: the definitions,
# roles, security group and log group cost nothing at rest. The data lives in the model bucket,
# each prefix with its own readers and writers:
#   data/           training data, read by training
#   batch/input/    what batch scoring reads
#   batch/output/   what batch scoring writes
#   models/         the model store: training writes it, workers (and the services) read it
data "aws_ecr_repository" "scale" {
  name = "${var.project}-scale"
}

locals {
  scale_image     = "${data.aws_ecr_repository.scale.repository_url}:${var.image_tag}"
  scale_log_group = "/${var.project}/${var.environment}/scale"
  # Dask's ports: the scheduler (8786) and its dashboard (8787), each worker (8788) and its
  # nanny (8789). The settings pass these ports to the workers; nothing else listens.
  dask_ports = { from = 8786, to = 8789 }
}

resource "aws_cloudwatch_log_group" "scale" {
  name              = local.scale_log_group
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.models.arn
  #checkov:skip=CKV_AWS_338:Retention is a variable (30 days by default) because a year of logs costs more than the runs.
}

# The scheduler and workers reach each other on Dask's ports and nothing else reaches them,
# except the networks in dask_client_cidrs on the scheduler's port (the client that submits work).
resource "aws_security_group" "dask" {
  name        = "${local.name}-dask"
  description = "Dask scheduler and workers: their ports, open only to each other."
  vpc_id      = aws_vpc.main.id
  #checkov:skip=CKV2_AWS_5:Attached at run time: the Dask client starts the tasks in this group (RunTask), not Terraform.
}

resource "aws_vpc_security_group_ingress_rule" "dask_inside" {
  security_group_id            = aws_security_group.dask.id
  description                  = "Dask, between the scheduler and the workers"
  ip_protocol                  = "tcp"
  from_port                    = local.dask_ports.from
  to_port                      = local.dask_ports.to
  referenced_security_group_id = aws_security_group.dask.id
}

resource "aws_vpc_security_group_egress_rule" "dask_inside" {
  security_group_id            = aws_security_group.dask.id
  description                  = "Dask, between the scheduler and the workers"
  ip_protocol                  = "tcp"
  from_port                    = local.dask_ports.from
  to_port                      = local.dask_ports.to
  referenced_security_group_id = aws_security_group.dask.id
}

resource "aws_vpc_security_group_egress_rule" "dask_https" {
  security_group_id = aws_security_group.dask.id
  description       = "HTTPS to ECR, S3 and CloudWatch"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_ingress_rule" "dask_client" {
  for_each          = toset(var.dask_client_cidrs)
  security_group_id = aws_security_group.dask.id
  description       = "The Dask client, from ${each.value}"
  ip_protocol       = "tcp"
  from_port         = local.dask_ports.from
  to_port           = local.dask_ports.from
  cidr_ipv4         = each.value
}

# Training reads the training data and writes the model store, nothing else.
resource "aws_iam_role" "train" {
  name                 = "${local.name}-train" # the boundary lets only *-train roles write models/
  path                 = local.role_path
  permissions_boundary = local.permissions_boundary
  assume_role_policy   = data.aws_iam_policy_document.ecs_tasks_trust.json
}

data "aws_iam_policy_document" "train" {
  statement {
    sid       = "ListTheDataAndTheModels"
    actions   = ["s3:ListBucket"]
    resources = [module.models.arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["data", "data/*", "models", "models/*"]
    }
  }
  statement {
    sid       = "ReadTheTrainingData"
    actions   = ["s3:GetObject"]
    resources = ["${module.models.arn}/data/*", "${module.models.arn}/models/*"]
  }
  statement {
    # The store writes each file under a temporary name, then renames it: on S3 a copy, then a
    # delete of the temporary object (the bucket is versioned: a deleted object can be restored).
    sid       = "WriteTheModelStore"
    actions   = ["s3:PutObject", "s3:DeleteObject"]
    resources = ["${module.models.arn}/models/*"]
  }
  statement {
    sid       = "EncryptAndDecrypt"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [aws_kms_key.models.arn]
  }
}

resource "aws_iam_role_policy" "train" {
  name   = "train"
  role   = aws_iam_role.train.id
  policy = data.aws_iam_policy_document.train.json
}

# Dask workers read the batch input and the models, and write the batch output.
resource "aws_iam_role" "dask_worker" {
  name                 = "${local.name}-dask-worker"
  path                 = local.role_path
  permissions_boundary = local.permissions_boundary
  assume_role_policy   = data.aws_iam_policy_document.ecs_tasks_trust.json
}

data "aws_iam_policy_document" "dask_worker" {
  statement {
    sid       = "ListTheBatchAndTheModels"
    actions   = ["s3:ListBucket"]
    resources = [module.models.arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["batch/input", "batch/input/*", "batch/output", "batch/output/*", "models", "models/*"]
    }
  }
  statement {
    # Of the output, only the run's marker (the package's scale/outputs.py): before writing a part,
    # a worker checks that the run is still going on, a HeadObject, which needs GetObject.
    sid     = "ReadTheBatchInputTheModelsAndTheRunMarker"
    actions = ["s3:GetObject"]
    resources = [
      "${module.models.arn}/batch/input/*",
      "${module.models.arn}/models/*",
      "${module.models.arn}/batch/output/*/_RUNNING",
    ]
  }
  statement {
    sid       = "WriteTheBatchOutput"
    actions   = ["s3:PutObject", "s3:AbortMultipartUpload"]
    resources = ["${module.models.arn}/batch/output/*"]
  }
  statement {
    sid       = "EncryptAndDecrypt"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [aws_kms_key.models.arn]
  }
}

resource "aws_iam_role_policy" "dask_worker" {
  name   = "dask-worker"
  role   = aws_iam_role.dask_worker.id
  policy = data.aws_iam_policy_document.dask_worker.json
}

module "train_task" {
  source = "./modules/ecs-task"

  name               = "train"
  prefix             = local.name
  container_name     = "train"
  aws_region         = var.aws_region
  image              = local.scale_image
  command            = ["python", "-m", "{{ cookiecutter.package_name }}", "train"]
  cpu                = var.training_cpu
  memory             = var.training_memory
  execution_role_arn = aws_iam_role.execution.arn
  task_role_arn      = aws_iam_role.train.arn
  environment = {
    "{{ cookiecutter.package_name | upper }}_MODEL_STORE"   = local.model_store
    "{{ cookiecutter.package_name | upper }}_TRAINING_DATA" = jsonencode(["s3://${module.models.id}/data/*.csv"])
  }
  log_group_name    = aws_cloudwatch_log_group.scale.name
  log_stream_prefix = "train"
}

# dask-cloudprovider starts these two by their container names (dask-scheduler, dask-worker) and
# gives them their command; the task definitions fix the image, size, roles and logs. The
# scheduler has no task role: it never calls AWS.
module "dask_scheduler_task" {
  source = "./modules/ecs-task"

  name               = "dask-scheduler"
  prefix             = local.name
  container_name     = "dask-scheduler"
  aws_region         = var.aws_region
  image              = local.scale_image
  cpu                = var.dask_scheduler_cpu
  memory             = var.dask_scheduler_memory
  execution_role_arn = aws_iam_role.execution.arn
  log_group_name     = aws_cloudwatch_log_group.scale.name
  log_stream_prefix  = "dask"
}

module "dask_worker_task" {
  source = "./modules/ecs-task"

  name               = "dask-worker"
  prefix             = local.name
  container_name     = "dask-worker"
  aws_region         = var.aws_region
  image              = local.scale_image
  cpu                = var.dask_worker_cpu
  memory             = var.dask_worker_memory
  execution_role_arn = aws_iam_role.execution.arn
  task_role_arn      = aws_iam_role.dask_worker.arn
  environment = {
    "{{ cookiecutter.package_name | upper }}_MODEL_STORE" = local.model_store
  }
  log_group_name    = aws_cloudwatch_log_group.scale.name
  log_stream_prefix = "dask"
}

variable "dask_client_cidrs" {
  type        = list(string)
  description = "Networks (IPv4 CIDR blocks, at most 20) whose Dask client may reach the scheduler's public address; empty (the default): only clients inside the VPC."
  default     = []

  validation {
    condition     = length(var.dask_client_cidrs) <= 20 && alltrue([for cidr in var.dask_client_cidrs : can(cidrnetmask(cidr)) && cidr != "0.0.0.0/0"])
    error_message = "dask_client_cidrs must be at most 20 IPv4 CIDR blocks, never 0.0.0.0/0."
  }
}

variable "dask_scheduler_cpu" {
  type        = number
  description = "CPU units of the Dask scheduler task (1024 = 1 vCPU)."
  default     = 1024

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096], var.dask_scheduler_cpu)
    error_message = "dask_scheduler_cpu must be a Fargate size: 256, 512, 1024, 2048 or 4096."
  }
}

variable "dask_scheduler_memory" {
  type        = number
  description = "Memory of the Dask scheduler task, in MiB."
  default     = 4096

  validation {
    condition     = var.dask_scheduler_memory >= 512 && var.dask_scheduler_memory <= 30720
    error_message = "dask_scheduler_memory must be between 512 and 30720 MiB."
  }
}

variable "dask_worker_cpu" {
  type        = number
  description = "CPU units of one Dask worker task (1024 = 1 vCPU; one thread per vCPU)."
  default     = 2048

  validation {
    condition     = contains([1024, 2048, 4096, 8192, 16384], var.dask_worker_cpu)
    error_message = "dask_worker_cpu must be a Fargate size of 1 vCPU or more: 1024, 2048, 4096, 8192 or 16384."
  }
}

variable "dask_worker_memory" {
  type        = number
  description = "Memory of one Dask worker task, in MiB (a multiple of 1024: the worker's memory limit)."
  default     = 8192

  validation {
    condition     = var.dask_worker_memory >= 2048 && var.dask_worker_memory <= 122880 && var.dask_worker_memory % 1024 == 0
    error_message = "dask_worker_memory must be a multiple of 1024 between 2048 and 122880 MiB."
  }
}

variable "training_cpu" {
  type        = number
  description = "Default CPU units of the training task (1024 = 1 vCPU); make train-remote CPU=... overrides it per run."
  default     = 2048

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096, 8192, 16384], var.training_cpu)
    error_message = "training_cpu must be a Fargate size: 256, 512, 1024, 2048, 4096, 8192 or 16384."
  }
}

variable "training_memory" {
  type        = number
  description = "Default memory of the training task, in MiB; make train-remote MEMORY=... overrides it per run."
  default     = 8192

  validation {
    condition     = var.training_memory >= 512 && var.training_memory <= 122880
    error_message = "training_memory must be between 512 and 122880 MiB."
  }
}

# What the scale commands read (`terraform output -json > infra/outputs.json`; see the README).
output "scale" {
  description = "Where the Dask cluster and the training task run: read by DASK_CLUSTER=fargate and make train-remote from `terraform output -json`."
  value = {
    region                    = var.aws_region
    cluster_arn               = aws_ecs_cluster.main.arn
    vpc_id                    = aws_vpc.main.id
    subnet_ids                = aws_subnet.public[*].id
    security_group_id         = aws_security_group.dask.id
    execution_role_arn        = aws_iam_role.execution.arn
    worker_role_arn           = aws_iam_role.dask_worker.arn
    scheduler_task_definition = module.dask_scheduler_task.arn
    worker_task_definition    = module.dask_worker_task.arn
    worker_cpu                = var.dask_worker_cpu
    worker_memory             = var.dask_worker_memory
    training_task_definition  = module.train_task.arn
    training_container        = "train"
    log_group                 = aws_cloudwatch_log_group.scale.name
    training_data             = "s3://${module.models.id}/data/"
    batch_input               = "s3://${module.models.id}/batch/input/"
    batch_output              = "s3://${module.models.id}/batch/output/"
  }
}
