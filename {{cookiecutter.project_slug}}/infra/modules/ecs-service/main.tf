# One container service on ECS Fargate behind the load balancer: its task role, logs, task
# definition, target group, listener rules, security group rules and autoscaling. The API, and
# each further component that serves over HTTP, is one call of this module.
locals {
  family = "${var.prefix}-${var.name}"
}

resource "aws_cloudwatch_log_group" "this" {
  name              = var.log_group_name
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  #checkov:skip=CKV_AWS_338:Retention is a variable (30 days by default) because a year of logs costs more than the service.
}

resource "aws_iam_role" "task" {
  name                 = local.family
  path                 = var.role_path
  permissions_boundary = var.permissions_boundary
  assume_role_policy   = data.aws_iam_policy_document.ecs_tasks_trust.json
}

data "aws_iam_policy_document" "ecs_tasks_trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "task" {
  name   = "${var.name}-task"
  role   = aws_iam_role.task.id
  policy = var.task_policy_json
}

resource "aws_ecs_task_definition" "this" {
  family                   = local.family
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.cpu
  memory                   = var.memory
  execution_role_arn       = var.execution_role_arn
  task_role_arn            = aws_iam_role.task.arn
  #checkov:skip=CKV_AWS_336:The services write under /tmp (the API's workers share their metrics there), and Fargate cannot mount a tmpfs.

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  container_definitions = jsonencode([
    {
      name                   = var.name
      image                  = var.image
      essential              = true
      readonlyRootFilesystem = false # see the checkov skip above
      portMappings           = [{ containerPort = var.port, protocol = "tcp" }]
      command                = var.command
      environment = [
        for name, value in merge({ AWS_DEFAULT_REGION = var.aws_region }, var.environment) :
        { name = name, value = value }
      ]
      secrets = [for name, arn in var.secrets : { name = name, valueFrom = arn }]
      healthCheck = {
        command     = var.health_check_command
        interval    = 15
        timeout     = 5
        retries     = 3
        startPeriod = 30
      }
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.this.name
          awslogs-region        = var.aws_region
          awslogs-stream-prefix = var.name
        }
      }
    }
  ])
}

resource "aws_lb_target_group" "this" {
  name                 = local.family
  port                 = var.port
  protocol             = "HTTP"
  target_type          = "ip"
  vpc_id               = var.vpc_id
  deregistration_delay = 30
  #checkov:skip=CKV_AWS_378:TLS ends at the load balancer; tasks are reachable from it only, inside the VPC.

  health_check {
    path                = var.health_check_path
    matcher             = "200"
    interval            = 15
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }

  dynamic "stickiness" {
    for_each = var.sticky_sessions ? [1] : []
    content {
      type            = "lb_cookie"
      cookie_duration = 86400
    }
  }
}

# One rule per entry: its paths (and, when given, the one network it admits) go to this service.
resource "aws_lb_listener_rule" "this" {
  for_each     = { for rule in var.listener_rules : tostring(rule.priority) => rule }
  listener_arn = var.listener_arn
  priority     = each.value.priority

  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this.arn
  }

  condition {
    path_pattern {
      values = each.value.paths
    }
  }

  dynamic "condition" {
    for_each = each.value.source_ip == null ? [] : [each.value.source_ip]
    content {
      source_ip {
        values = [condition.value]
      }
    }
  }
}

resource "aws_vpc_security_group_egress_rule" "from_load_balancer" {
  security_group_id            = var.load_balancer_security_group_id
  description                  = "To the ${var.name} tasks"
  ip_protocol                  = "tcp"
  from_port                    = var.port
  to_port                      = var.port
  referenced_security_group_id = var.tasks_security_group_id
}

resource "aws_vpc_security_group_ingress_rule" "from_load_balancer" {
  security_group_id            = var.tasks_security_group_id
  description                  = "${var.name}, from the load balancer"
  ip_protocol                  = "tcp"
  from_port                    = var.port
  to_port                      = var.port
  referenced_security_group_id = var.load_balancer_security_group_id
}

resource "aws_ecs_service" "this" {
  name                              = var.name
  cluster                           = var.cluster_id
  task_definition                   = aws_ecs_task_definition.this.arn
  desired_count                     = var.min_tasks
  launch_type                       = "FARGATE"
  health_check_grace_period_seconds = 60
  #checkov:skip=CKV_AWS_333:Public task addresses instead of a NAT gateway; the security group admits only the load balancer.

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = [var.tasks_security_group_id]
    assign_public_ip = true # reaches ECR and S3 without a NAT gateway; see network.tf
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.this.arn
    container_name   = var.name
    container_port   = var.port
  }

  lifecycle {
    ignore_changes = [desired_count] # the autoscaling target below owns it
  }

  # ECS refuses a target group that no listener uses yet.
  depends_on = [aws_lb_listener_rule.this]
}

# The number of tasks stays between min_tasks and max_tasks; the policies below move it.
resource "aws_appautoscaling_target" "this" {
  service_namespace  = "ecs"
  resource_id        = "service/${var.cluster_name}/${aws_ecs_service.this.name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = var.min_tasks
  max_capacity       = max(var.min_tasks, var.max_tasks)
}

resource "aws_appautoscaling_policy" "cpu" {
  count              = var.target_cpu_percent == null ? 0 : 1
  name               = "${local.family}-cpu"
  service_namespace  = aws_appautoscaling_target.this.service_namespace
  resource_id        = aws_appautoscaling_target.this.resource_id
  scalable_dimension = aws_appautoscaling_target.this.scalable_dimension
  policy_type        = "TargetTrackingScaling"

  target_tracking_scaling_policy_configuration {
    target_value = var.target_cpu_percent
    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}

resource "aws_appautoscaling_policy" "requests" {
  count              = var.target_requests_per_task == null ? 0 : 1
  name               = "${local.family}-requests"
  service_namespace  = aws_appautoscaling_target.this.service_namespace
  resource_id        = aws_appautoscaling_target.this.resource_id
  scalable_dimension = aws_appautoscaling_target.this.scalable_dimension
  policy_type        = "TargetTrackingScaling"

  target_tracking_scaling_policy_configuration {
    target_value = var.target_requests_per_task
    predefined_metric_specification {
      predefined_metric_type = "ALBRequestCountPerTarget"
      resource_label         = "${var.load_balancer_arn_suffix}/${aws_lb_target_group.this.arn_suffix}"
    }
  }
}
