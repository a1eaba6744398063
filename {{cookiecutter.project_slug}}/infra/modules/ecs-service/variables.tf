variable "name" {
  type        = string
  description = "Name of the service and of its container (api...)."

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,15}$", var.name))
    error_message = "name must be 1 to 16 lowercase letters, digits or hyphens."
  }
}

variable "prefix" {
  type        = string
  description = "Prefix of the names of the task family, task role and target group (<project>-<environment>)."

  validation {
    condition     = length(var.prefix) > 0
    error_message = "prefix must not be empty."
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

variable "port" {
  type        = number
  description = "Port the container listens on."

  validation {
    condition     = var.port >= 1 && var.port <= 65535
    error_message = "port must be between 1 and 65535."
  }
}

variable "cpu" {
  type        = number
  description = "CPU units of one task (1024 = 1 vCPU)."

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096], var.cpu)
    error_message = "cpu must be a Fargate size: 256, 512, 1024, 2048 or 4096."
  }
}

variable "memory" {
  type        = number
  description = "Memory of one task, in MiB."

  validation {
    condition     = var.memory >= 512 && var.memory <= 30720
    error_message = "memory must be between 512 and 30720 MiB."
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

variable "secrets" {
  type        = map(string)
  description = "Environment variables that ECS fills from Secrets Manager, by name: the secret's ARN."
  default     = {}

  validation {
    condition     = alltrue([for arn in values(var.secrets) : can(regex("^arn:aws[a-z-]*:secretsmanager:", arn))])
    error_message = "secrets must map variable names to Secrets Manager ARNs."
  }
}

variable "health_check_command" {
  type        = list(string)
  description = "Container health check, in ECS form ([\"CMD\", ...])."

  validation {
    condition     = length(var.health_check_command) > 1 && var.health_check_command[0] == "CMD"
    error_message = "health_check_command must start with CMD."
  }
}

variable "health_check_path" {
  type        = string
  description = "Path that the load balancer checks on each task."

  validation {
    condition     = startswith(var.health_check_path, "/")
    error_message = "health_check_path must start with /."
  }
}

variable "execution_role_arn" {
  type        = string
  description = "Role that ECS uses to pull the image, write the logs and read the secrets."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::", var.execution_role_arn))
    error_message = "execution_role_arn must be an IAM role ARN."
  }
}

variable "task_policy_json" {
  type        = string
  description = "Inline policy of the task role: what the container itself may do in AWS."

  validation {
    condition     = length(var.task_policy_json) > 0
    error_message = "task_policy_json must not be empty."
  }
}

variable "role_path" {
  type        = string
  description = "IAM path of the task role; the deploy role manages roles under this path only."

  validation {
    condition     = can(regex("^/[A-Za-z0-9-]+/$", var.role_path))
    error_message = "role_path must look like /name/."
  }
}

variable "permissions_boundary" {
  type        = string
  description = "Permissions boundary of the task role (the one infra/bootstrap defines)."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:policy/", var.permissions_boundary))
    error_message = "permissions_boundary must be an IAM policy ARN."
  }
}

variable "log_group_name" {
  type        = string
  description = "CloudWatch log group of the container."

  validation {
    condition     = startswith(var.log_group_name, "/")
    error_message = "log_group_name must start with /."
  }
}

variable "log_retention_days" {
  type        = number
  description = "How long CloudWatch keeps the logs."

  validation {
    condition     = var.log_retention_days >= 1
    error_message = "log_retention_days must be at least 1."
  }
}

variable "kms_key_arn" {
  type        = string
  description = "KMS key that encrypts the logs."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "cluster_id" {
  type        = string
  description = "ECS cluster that runs the service."

  validation {
    condition     = length(var.cluster_id) > 0
    error_message = "cluster_id must not be empty."
  }
}

variable "cluster_name" {
  type        = string
  description = "Name of that cluster (autoscaling refers to the service by it)."

  validation {
    condition     = length(var.cluster_name) > 0
    error_message = "cluster_name must not be empty."
  }
}

variable "vpc_id" {
  type        = string
  description = "VPC of the target group."

  validation {
    condition     = startswith(var.vpc_id, "vpc-")
    error_message = "vpc_id must be a VPC id."
  }
}

variable "subnet_ids" {
  type        = list(string)
  description = "Subnets of the tasks."

  validation {
    condition     = length(var.subnet_ids) > 0
    error_message = "subnet_ids must not be empty."
  }
}

variable "tasks_security_group_id" {
  type        = string
  description = "Security group of the tasks."

  validation {
    condition     = startswith(var.tasks_security_group_id, "sg-")
    error_message = "tasks_security_group_id must be a security group id."
  }
}

variable "load_balancer_security_group_id" {
  type        = string
  description = "Security group of the load balancer, the only one the tasks admit."

  validation {
    condition     = startswith(var.load_balancer_security_group_id, "sg-")
    error_message = "load_balancer_security_group_id must be a security group id."
  }
}

variable "load_balancer_arn_suffix" {
  type        = string
  description = "ARN suffix of the load balancer, for autoscaling on requests per task."

  validation {
    condition     = startswith(var.load_balancer_arn_suffix, "app/")
    error_message = "load_balancer_arn_suffix must be an application load balancer's ARN suffix."
  }
}

variable "listener_arn" {
  type        = string
  description = "Listener whose rules send requests to this service."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:elasticloadbalancing:", var.listener_arn))
    error_message = "listener_arn must be a load balancer listener ARN."
  }
}

variable "listener_rules" {
  type = list(object({
    priority  = number
    paths     = list(string)
    source_ip = optional(string)
  }))
  description = "Rules that forward to this service: priority, path patterns, and optionally the one network (CIDR) they admit."

  validation {
    condition     = alltrue([for rule in var.listener_rules : length(rule.paths) >= 1 && length(rule.paths) <= 4])
    error_message = "each listener rule needs 1 to 4 path patterns (a load balancer rule has at most 5 values)."
  }

  validation {
    condition     = length(var.listener_rules) >= 1
    error_message = "listener_rules needs at least one rule: ECS refuses a target group that no listener uses."
  }
}

variable "sticky_sessions" {
  type        = bool
  description = "Send a visitor back to the same task (for services that keep sessions in memory)."
  default     = false
}

variable "min_tasks" {
  type        = number
  description = "Fewest tasks that autoscaling keeps running."

  validation {
    condition     = var.min_tasks >= 0
    error_message = "min_tasks must not be negative."
  }
}

variable "max_tasks" {
  type        = number
  description = "Most tasks that autoscaling may start."

  validation {
    condition     = var.max_tasks >= 0 && var.max_tasks <= 50
    error_message = "max_tasks must be between 0 and 50."
  }
}

variable "target_cpu_percent" {
  type        = number
  description = "Average CPU use that autoscaling keeps the tasks at; null: no CPU policy."
  default     = null

  validation {
    condition     = var.target_cpu_percent == null || try(var.target_cpu_percent > 10 && var.target_cpu_percent < 95, false)
    error_message = "target_cpu_percent must be null or between 10 and 95."
  }
}

variable "target_requests_per_task" {
  type        = number
  description = "Requests per minute per task that autoscaling keeps the tasks at; null: no request policy."
  default     = null

  validation {
    condition     = var.target_requests_per_task == null || try(var.target_requests_per_task > 0, false)
    error_message = "target_requests_per_task must be null or positive."
  }
}
