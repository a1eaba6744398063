variable "project" {
  type        = string
  description = "Name prefix of every resource."
  default     = "{{ cookiecutter.project_slug }}"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}[a-z0-9]$", var.project))
    error_message = "project must be 3 to 32 lowercase letters, digits or hyphens."
  }
}

variable "aws_region" {
  type        = string
  description = "AWS region of the state bucket and the image repository."
  default     = "{{ cookiecutter.aws_region }}"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.aws_region))
    error_message = "aws_region must be a region name such as eu-west-1."
  }
}

variable "github_repository" {
  type        = string
  description = "The GitHub repository (owner/name) whose CI jobs may assume the roles."
  default     = "{{ cookiecutter.github_owner }}/{{ cookiecutter.project_slug }}"

  validation {
    condition     = can(regex("^[A-Za-z0-9-]+/[A-Za-z0-9._-]+$", var.github_repository))
    error_message = "github_repository must look like owner/name."
  }
}

variable "create_github_oidc_provider" {
  type        = bool
  description = "Create the account's GitHub OIDC provider (false when the account has one already)."
  default     = true
}

variable "images_to_keep" {
  type        = number
  description = "How many tagged API images the repository keeps."
  default     = 30

  validation {
    condition     = var.images_to_keep >= 1
    error_message = "images_to_keep must be at least 1."
  }
}

variable "api_key_version" {
  type        = number
  description = "Version of the environments' API keys; raise it to replace every key with a new random one."
  default     = 1

  validation {
    condition     = var.api_key_version >= 1 && floor(var.api_key_version) == var.api_key_version
    error_message = "api_key_version must be a whole number, at least 1."
  }
}
