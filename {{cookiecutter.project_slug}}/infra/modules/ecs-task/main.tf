# One container that runs to completion or until it is stopped, on ECS Fargate: its task
# definition only. Whoever starts it (RunTask) chooses the network and may override the command,
# the environment and, for training, the size. The roles and the log group belong to the caller.
resource "aws_ecs_task_definition" "this" {
  family                   = "${var.prefix}-${var.name}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.cpu
  memory                   = var.memory
  execution_role_arn       = var.execution_role_arn
  task_role_arn            = var.task_role_arn
  #checkov:skip=CKV_AWS_336:Training and Dask workers write temporary files (spilled partitions, the model before upload), and Fargate cannot mount a tmpfs.

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  container_definitions = jsonencode([
    {
      name                   = var.container_name
      image                  = var.image
      essential              = true
      readonlyRootFilesystem = false # see the checkov skip above
      command                = var.command
      environment = [
        for name, value in merge({ AWS_DEFAULT_REGION = var.aws_region }, var.environment) :
        { name = name, value = value }
      ]
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = var.log_group_name
          awslogs-region        = var.aws_region
          awslogs-stream-prefix = var.log_stream_prefix
        }
      }
    }
  ])
}
