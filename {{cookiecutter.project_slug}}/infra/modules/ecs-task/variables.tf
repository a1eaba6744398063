variable "name" {
  type        = string
  description = "Name of the task, the end of its family name (train, scheduler...)."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,15}$", var.name))
    error_message = "name must be 1 to 16 lowercase letters, digits or hyphens."
  }
}

variable "prefix" {
  type        = string
  description = "Prefix of the family name (<project>-<environment>)."

  validation {
    condition     = length(var.prefix) > 0
    error_message = "prefix must not be empty."
  }
}

variable "container_name" {
  type        = string
  description = "Name of the container, as RunTask overrides refer to it."

  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9_-]{0,254}$", var.container_name))
    error_message = "container_name must be letters, digits, hyphens or underscores, starting with a letter."
  }
}

variable "aws_region" {
  type        = string
  description = "Region of the log group, also given to the container as AWS_DEFAULT_REGION."

  validation {
    condition     = length(var.aws_region) > 0
    error_message = "aws_region must not be empty."
  }
}

variable "image" {
  type        = string
  description = "Container image (repository URL and tag)."

  validation {
    condition     = length(var.image) > 0
    error_message = "image must not be empty."
  }
}

variable "command" {
  type        = list(string)
  description = "Command of the container; null keeps the image's."
  default     = null

  validation {
    condition     = var.command == null || try(length(var.command) > 0, false)
    error_message = "command must be null or a non-empty list."
  }
}

variable "cpu" {
  type        = number
  description = "CPU units of the task (1024 = 1 vCPU), the default that RunTask may override."

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096, 8192, 16384], var.cpu)
    error_message = "cpu must be a Fargate size: 256, 512, 1024, 2048, 4096, 8192 or 16384."
  }
}

variable "memory" {
  type        = number
  description = "Memory of the task, in MiB."

  validation {
    condition     = var.memory >= 512 && var.memory <= 122880
    error_message = "memory must be between 512 and 122880 MiB."
  }
}

variable "environment" {
  type        = map(string)
  description = "Plain environment variables of the container, by name (besides AWS_DEFAULT_REGION)."
  default     = {}

  validation {
    condition     = alltrue([for name in keys(var.environment) : can(regex("^[A-Za-z_][A-Za-z0-9_]*$", name))])
    error_message = "environment names must be valid variable names."
  }
}

variable "execution_role_arn" {
  type        = string
  description = "Role that ECS uses to pull the image and write the logs."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::", var.execution_role_arn))
    error_message = "execution_role_arn must be an IAM role ARN."
  }
}

variable "task_role_arn" {
  type        = string
  description = "Role of the container itself: what it may do in AWS; null: nothing."
  default     = null

  validation {
    condition     = var.task_role_arn == null || can(regex("^arn:aws[a-z-]*:iam::", var.task_role_arn))
    error_message = "task_role_arn must be null or an IAM role ARN."
  }
}

variable "log_group_name" {
  type        = string
  description = "CloudWatch log group of the container (the caller creates it, with its retention)."

  validation {
    condition     = startswith(var.log_group_name, "/")
    error_message = "log_group_name must start with /."
  }
}

variable "log_stream_prefix" {
  type        = string
  description = "Prefix of the container's log streams: <prefix>/<container>/<task id>."

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]+$", var.log_stream_prefix))
    error_message = "log_stream_prefix must be letters, digits, dots, hyphens or underscores."
  }
}
