variable "project" {
  type        = string
  description = "Name prefix of every resource."
  default     = "{{ cookiecutter.project_slug }}"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.project))
    error_message = "project must be 3 to 32 lowercase letters, digits or hyphens."
  }
}

variable "environment" {
  type        = string
  description = "Deployment environment: staging or prod."

  validation {
    condition     = contains(["staging", "prod"], var.environment)
    error_message = "environment must be staging or prod."
  }
}

variable "aws_region" {
  type        = string
  description = "AWS region to deploy to."
  default     = "{{ cookiecutter.aws_region }}"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.aws_region))
    error_message = "aws_region must be a region name such as eu-west-1."
  }
}

variable "image_tag" {
  type        = string
  description = "Tag of the API image in the ECR repository (sha-<commit> by convention)."

  validation {
    condition     = can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.image_tag))
    error_message = "image_tag must be a valid image tag."
  }
}

variable "model_version" {
  type        = string
  description = "Model version (or alias) that the API serves from the model bucket."
  default     = "latest"

  validation {
    condition     = length(var.model_version) > 0
    error_message = "model_version must not be empty."
  }
}

variable "task_cpu" {
  type        = number
  description = "CPU units of one API task (1024 = 1 vCPU)."
  default     = 512

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096], var.task_cpu)
    error_message = "task_cpu must be a Fargate size: 256, 512, 1024, 2048 or 4096."
  }
}

variable "task_memory" {
  type        = number
  description = "Memory of one API task, in MiB."
  default     = 1024

  validation {
    condition     = var.task_memory >= 512 && var.task_memory <= 30720
    error_message = "task_memory must be between 512 and 30720 MiB."
  }
}

variable "api_workers" {
  type        = number
  description = "Server worker processes in one API task."
  default     = 1

  validation {
    condition     = var.api_workers >= 1 && var.api_workers <= 8
    error_message = "api_workers must be between 1 and 8."
  }
}

variable "min_tasks" {
  type        = number
  description = "Fewest API tasks that autoscaling keeps running."
  default     = 1

  validation {
    condition     = var.min_tasks >= 1
    error_message = "min_tasks must be at least 1."
  }
}

variable "max_tasks" {
  type        = number
  description = "Most API tasks that autoscaling may start."
  default     = 4

  validation {
    condition     = var.max_tasks >= 1 && var.max_tasks <= 50
    error_message = "max_tasks must be between 1 and 50."
  }
}

variable "target_cpu_percent" {
  type        = number
  description = "Average CPU use that autoscaling keeps the API tasks at."
  default     = 60

  validation {
    condition     = var.target_cpu_percent > 10 && var.target_cpu_percent < 95
    error_message = "target_cpu_percent must be between 10 and 95."
  }
}

variable "target_requests_per_task" {
  type        = number
  description = "Requests per minute per task that autoscaling keeps the API tasks at."
  default     = 3000

  validation {
    condition     = var.target_requests_per_task > 0
    error_message = "target_requests_per_task must be positive."
  }
}

variable "certificate_arn" {
  type        = string
  description = "ACM certificate for HTTPS on the load balancer; empty serves plain HTTP only (the plan warns)."
  default     = ""

  validation {
    condition     = var.certificate_arn == "" || can(regex("^arn:aws[a-z-]*:acm:", var.certificate_arn))
    error_message = "certificate_arn must be empty or an ACM certificate ARN."
  }
}

variable "api_paths" {
  type        = list(string)
  description = "Path patterns of the API that the load balancer forwards (1 to 4); /metrics never is."
  default     = ["/v1/*", "/health/*", "/docs", "/openapi.json"]

  validation {
    condition     = length(var.api_paths) >= 1 && length(var.api_paths) <= 4 && alltrue([for path in var.api_paths : startswith(path, "/")])
    error_message = "api_paths must be 1 to 4 path patterns, each starting with /."
  }
}

variable "allowed_cidrs" {
  type        = list(string)
  description = "Networks allowed to reach the load balancer."
  default     = ["0.0.0.0/0"]

  validation {
    condition     = alltrue([for cidr in var.allowed_cidrs : can(cidrnetmask(cidr))])
    error_message = "allowed_cidrs must be IPv4 CIDR blocks."
  }
}

variable "vpc_cidr" {
  type        = string
  description = "Address range of the VPC."
  default     = "10.40.0.0/16"

  validation {
    condition     = can(cidrnetmask(var.vpc_cidr))
    error_message = "vpc_cidr must be an IPv4 CIDR block."
  }
}

variable "log_retention_days" {
  type        = number
  description = "How long CloudWatch keeps the service logs."
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1827, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch accepts (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  }
}

variable "deletion_protection" {
  type        = bool
  description = "Protect the load balancer from deletion (keep true for prod)."
  default     = true
}
