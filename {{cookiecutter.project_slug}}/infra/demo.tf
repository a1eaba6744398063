# The Streamlit demo on ECS Fargate, behind the same load balancer at /demo. It reads the model
# from this environment's bucket itself. Streamlit keeps each visitor's session in its task, so
# the load balancer sends a visitor back to the same task. It is closed by default: only the
# networks in demo_allowed_cidrs reach it, everyone else gets a 403; with no network listed, the
# demo does not run at all.
data "aws_ecr_repository" "demo" {
  name = "${var.project}-demo"
}
{%- if cookiecutter.use_monitoring %}

# The demo's tasks: read the models (iam.tf) and the prediction log, nothing else.
data "aws_iam_policy_document" "demo_task" {
  source_policy_documents = [data.aws_iam_policy_document.read_models.json]
  statement {
    sid       = "ListThePredictionLog"
    actions   = ["s3:ListBucket"]
    resources = [module.models.arn]
    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = ["prediction-log", "prediction-log/*"]
    }
  }
  statement {
    sid       = "ReadThePredictionLog"
    actions   = ["s3:GetObject"]
    resources = ["${module.models.arn}/prediction-log/*"]
  }
}
{%- endif %}

module "demo" {
  source = "./modules/ecs-service"
  count  = length(var.demo_allowed_cidrs) > 0 ? 1 : 0

  name       = "demo"
  prefix     = local.name
  aws_region = var.aws_region
  image      = "${data.aws_ecr_repository.demo.repository_url}:${var.image_tag}"
  port       = 8501
  cpu        = var.demo_cpu
  memory     = var.demo_memory
  command = [
    "python", "-m", "{{ cookiecutter.package_name }}.demo",
    "--server.address=0.0.0.0", "--server.port=8501", "--server.baseUrlPath=demo",
  ]
  environment = {
    "{{ cookiecutter.package_name | upper }}_MODEL_STORE"   = local.model_store
    "{{ cookiecutter.package_name | upper }}_MODEL_VERSION" = var.model_version
{%- if cookiecutter.use_monitoring %}
    # The Monitoring page reads the API's log (monitoring.tf).
    "{{ cookiecutter.package_name | upper }}_MONITORING_LOG_URL" = local.prediction_log
{%- endif %}
  }
  # Sent as X-API-Key when the demo routes through the API ({{ cookiecutter.package_name | upper }}_DEMO_API_URL).
  secrets = {
    "{{ cookiecutter.package_name | upper }}_DEMO_API_KEY" = data.aws_secretsmanager_secret.api_key.arn
  }
  health_check_command = ["CMD", "python", "-c", "import urllib.request as r; r.urlopen('http://127.0.0.1:8501/demo/_stcore/health', timeout=3)"]
  health_check_path    = "/demo/_stcore/health"
  sticky_sessions      = true

  execution_role_arn   = aws_iam_role.execution.arn
  task_policy_json     = data.aws_iam_policy_document.{% if cookiecutter.use_monitoring %}demo_task{% else %}read_models{% endif %}.json
  role_path            = local.role_path
  permissions_boundary = local.permissions_boundary

  log_group_name     = "/${var.project}/${var.environment}/demo"
  log_retention_days = var.log_retention_days
  kms_key_arn        = aws_kms_key.models.arn

  cluster_id                      = aws_ecs_cluster.main.id
  cluster_name                    = aws_ecs_cluster.main.name
  vpc_id                          = aws_vpc.main.id
  subnet_ids                      = aws_subnet.public[*].id
  tasks_security_group_id         = aws_security_group.tasks.id
  load_balancer_security_group_id = aws_security_group.alb.id
  load_balancer_arn_suffix        = aws_lb.main.arn_suffix
  listener_arn                    = local.listener_arn
  # One rule per allowed network, ahead of the 403 below.
  listener_rules = [
    for index, cidr in var.demo_allowed_cidrs :
    { priority = 11 + index, paths = ["/demo", "/demo/*"], source_ip = cidr }
  ]

  min_tasks = var.demo_tasks
  max_tasks = var.demo_tasks
}

resource "aws_lb_listener_rule" "demo_closed" {
  listener_arn = local.listener_arn
  priority     = 40

  action {
    type = "fixed-response"

    fixed_response {
      content_type = "text/plain"
      message_body = "The demo is not open to your network."
      status_code  = "403"
    }
  }

  condition {
    path_pattern {
      values = ["/demo", "/demo/*"]
    }
  }
}

variable "demo_allowed_cidrs" {
  type        = list(string)
  description = "Networks (IPv4 CIDR blocks, at most 20) that may open the demo; empty (the default) closes it to everyone."
  default     = []

  validation {
    condition     = length(var.demo_allowed_cidrs) <= 20 && alltrue([for cidr in var.demo_allowed_cidrs : can(cidrnetmask(cidr))])
    error_message = "demo_allowed_cidrs must be at most 20 IPv4 CIDR blocks."
  }
}

variable "demo_cpu" {
  type        = number
  description = "CPU units of the demo task (1024 = 1 vCPU)."
  default     = 512

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096], var.demo_cpu)
    error_message = "demo_cpu must be a Fargate size: 256, 512, 1024, 2048 or 4096."
  }
}

variable "demo_memory" {
  type        = number
  description = "Memory of the demo task, in MiB."
  default     = 1024

  validation {
    condition     = var.demo_memory >= 512 && var.demo_memory <= 30720
    error_message = "demo_memory must be between 512 and 30720 MiB."
  }
}

variable "demo_tasks" {
  type        = number
  description = "Demo tasks to run (visitors stay on theirs)."
  default     = 1

  validation {
    condition     = var.demo_tasks >= 0 && var.demo_tasks <= 10
    error_message = "demo_tasks must be between 0 and 10."
  }
}

# Where the demo's resources were before it became a module call (older template versions).
moved {
  from = aws_lb_listener_rule.demo
  to   = aws_lb_listener_rule.demo_closed
}

moved {
  from = aws_cloudwatch_log_group.demo
  to   = module.demo[0].aws_cloudwatch_log_group.this
}

moved {
  from = aws_iam_role.demo
  to   = module.demo[0].aws_iam_role.task
}

moved {
  from = aws_iam_role_policy.demo_reads_models
  to   = module.demo[0].aws_iam_role_policy.task
}

moved {
  from = aws_ecs_task_definition.demo
  to   = module.demo[0].aws_ecs_task_definition.this
}

moved {
  from = aws_ecs_service.demo
  to   = module.demo[0].aws_ecs_service.this
}

moved {
  from = aws_lb_target_group.demo
  to   = module.demo[0].aws_lb_target_group.this
}

moved {
  from = aws_vpc_security_group_egress_rule.alb_to_demo
  to   = module.demo[0].aws_vpc_security_group_egress_rule.from_load_balancer
}

moved {
  from = aws_vpc_security_group_ingress_rule.demo_from_alb
  to   = module.demo[0].aws_vpc_security_group_ingress_rule.from_load_balancer
}

output "demo_url" {
  description = "Where the demo answers (for the networks in demo_allowed_cidrs)."
  value       = length(var.demo_allowed_cidrs) > 0 ? "${local.https ? "https" : "http"}://${aws_lb.main.dns_name}/demo" : "closed: list your networks in demo_allowed_cidrs"
}
