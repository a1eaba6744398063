# The API on ECS Fargate: the image from ECR, the model from the bucket, the API key from Secrets
# Manager, logs in CloudWatch, autoscaled on CPU and on requests per task.
resource "aws_ecs_cluster" "main" {
  name = local.name

  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

resource "aws_cloudwatch_log_group" "flow" {
  name              = "/${var.project}/${var.environment}/vpc-flow"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.models.arn
  #checkov:skip=CKV_AWS_338:Retention is a variable (30 days by default) because a year of logs costs more than the service.
}

module "api" {
  source = "./modules/ecs-service"

  name       = "api"
  prefix     = local.name
  aws_region = var.aws_region
  image      = "${data.aws_ecr_repository.api.repository_url}:${var.image_tag}"
  port       = 8000
  cpu        = var.task_cpu
  memory     = var.task_memory
  environment = {
    "{{ cookiecutter.package_name | upper }}_MODEL_STORE"   = local.model_store
    "{{ cookiecutter.package_name | upper }}_MODEL_VERSION" = var.model_version
    "{{ cookiecutter.package_name | upper }}_API_WORKERS"   = tostring(var.api_workers)
{%- if cookiecutter.use_monitoring %}
    # The prediction log, and the version scored in shadow (monitoring.tf)
    "{{ cookiecutter.package_name | upper }}_MONITORING_LOG_URL"    = local.prediction_log
    "{{ cookiecutter.package_name | upper }}_MONITORING_CHALLENGER" = var.challenger_version
{%- endif %}
  }
  secrets = {
    "{{ cookiecutter.package_name | upper }}_API_KEY" = data.aws_secretsmanager_secret.api_key.arn
{%- if cookiecutter.use_monitoring %}
    # The key that signs request ids (monitoring.tf)
    "{{ cookiecutter.package_name | upper }}_MONITORING_SIGNING_KEY" = data.aws_secretsmanager_secret.signing_key.arn
{%- endif %}
  }
  health_check_command = ["CMD", "python", "-m", "{{ cookiecutter.package_name }}.api.probe"]
  health_check_path    = "/health/ready"

  execution_role_arn   = aws_iam_role.execution.arn
  task_policy_json     = data.aws_iam_policy_document.{{ "api_task" if cookiecutter.use_monitoring else "read_models" }}.json
  role_path            = local.role_path
  permissions_boundary = local.permissions_boundary

  log_group_name     = "/${var.project}/${var.environment}/api"
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
  listener_rules                  = [{ priority = 100, paths = var.api_paths }]

  min_tasks                = var.min_tasks
  max_tasks                = var.max_tasks
  target_cpu_percent       = var.target_cpu_percent
  target_requests_per_task = var.target_requests_per_task
}
