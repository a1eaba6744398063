# The Streamlit demo on ECS Fargate, behind the same load balancer at /demo. It reads the model
# from this environment's bucket itself. Streamlit keeps each visitor's session in its task, so
# the load balancer sends a visitor back to the same task.
data "aws_ecr_repository" "demo" {
  name = "${var.project}-demo"
}

resource "aws_cloudwatch_log_group" "demo" {
  name              = "/${var.project}/${var.environment}/demo"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.models.arn
  #checkov:skip=CKV_AWS_338:Retention is a variable (30 days by default) because a year of logs costs more than the service.
}

resource "aws_iam_role" "demo" {
  name               = "${local.name}-demo"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_trust.json
}

resource "aws_iam_role_policy" "demo_reads_models" {
  name   = "read-models"
  role   = aws_iam_role.demo.id
  policy = data.aws_iam_policy_document.read_models.json
}

resource "aws_ecs_task_definition" "demo" {
  family                   = "${local.name}-demo"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.demo_cpu
  memory                   = var.demo_memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.demo.arn
  #checkov:skip=CKV_AWS_336:Streamlit writes its caches and uploads under the root filesystem (/tmp).

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  container_definitions = jsonencode([
    {
      name                   = "demo"
      image                  = "${data.aws_ecr_repository.demo.repository_url}:${var.image_tag}"
      essential              = true
      readonlyRootFilesystem = false # Streamlit writes its caches under /tmp
      portMappings           = [{ containerPort = 8501, protocol = "tcp" }]
      command = [
        "python", "-m", "{{ cookiecutter.package_name }}.demo",
        "--server.address=0.0.0.0", "--server.port=8501", "--server.baseUrlPath=demo",
      ]
      environment = [
        { name = "{{ cookiecutter.package_name | upper }}_MODEL_STORE", value = local.model_store },
        { name = "{{ cookiecutter.package_name | upper }}_MODEL_VERSION", value = var.model_version },
        { name = "AWS_DEFAULT_REGION", value = var.aws_region },
      ]
      healthCheck = {
        command     = ["CMD", "python", "-c", "import urllib.request as r; r.urlopen('http://127.0.0.1:8501/demo/_stcore/health', timeout=3)"]
        interval    = 15
        timeout     = 5
        retries     = 3
        startPeriod = 30
      }
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.demo.name
          awslogs-region        = var.aws_region
          awslogs-stream-prefix = "demo"
        }
      }
    }
  ])
}

resource "aws_ecs_service" "demo" {
  name                              = "demo"
  cluster                           = aws_ecs_cluster.main.id
  task_definition                   = aws_ecs_task_definition.demo.arn
  desired_count                     = var.demo_tasks
  launch_type                       = "FARGATE"
  health_check_grace_period_seconds = 60
  #checkov:skip=CKV_AWS_333:Public task addresses instead of a NAT gateway; the security group admits only the load balancer.

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = aws_subnet.public[*].id
    security_groups  = [aws_security_group.tasks.id]
    assign_public_ip = true
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.demo.arn
    container_name   = "demo"
    container_port   = 8501
  }

  depends_on = [aws_lb_listener_rule.demo]
}

resource "aws_lb_target_group" "demo" {
  name                 = "${local.name}-demo"
  port                 = 8501
  protocol             = "HTTP"
  target_type          = "ip"
  vpc_id               = aws_vpc.main.id
  deregistration_delay = 30
  #checkov:skip=CKV_AWS_378:TLS ends at the load balancer; tasks are reachable from it only, inside the VPC.

  health_check {
    path                = "/demo/_stcore/health"
    matcher             = "200"
    interval            = 15
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }

  stickiness {
    type            = "lb_cookie"
    cookie_duration = 86400
  }
}

resource "aws_lb_listener_rule" "demo" {
  listener_arn = local.https ? aws_lb_listener.https[0].arn : aws_lb_listener.http.arn
  priority     = 10

  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.demo.arn
  }

  condition {
    path_pattern {
      values = ["/demo", "/demo/*"]
    }
  }
}

resource "aws_vpc_security_group_egress_rule" "alb_to_demo" {
  security_group_id            = aws_security_group.alb.id
  description                  = "To the demo tasks"
  ip_protocol                  = "tcp"
  from_port                    = 8501
  to_port                      = 8501
  referenced_security_group_id = aws_security_group.tasks.id
}

resource "aws_vpc_security_group_ingress_rule" "demo_from_alb" {
  security_group_id            = aws_security_group.tasks.id
  description                  = "Demo, from the load balancer"
  ip_protocol                  = "tcp"
  from_port                    = 8501
  to_port                      = 8501
  referenced_security_group_id = aws_security_group.alb.id
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

output "demo_url" {
  description = "Where the demo answers."
  value       = "${local.https ? "https" : "http"}://${aws_lb.main.dns_name}/demo"
}
