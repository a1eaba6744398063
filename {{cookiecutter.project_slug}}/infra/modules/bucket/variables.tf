variable "name" {
  type        = string
  description = "Name of the bucket (globally unique)."

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.name))
    error_message = "name must be a valid S3 bucket name: 3 to 63 lowercase letters, digits, dots or hyphens."
  }
}

variable "kms_key_arn" {
  type        = string
  description = "KMS key that encrypts the objects."

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "expirations" {
  type        = map(number)
  description = "Prefixes whose objects are deleted after a number of days (\"logs/\" = 90)."
  default     = {}

  validation {
    condition     = alltrue([for days in values(var.expirations) : days >= 1])
    error_message = "Each expiration must be at least 1 day."
  }
}

variable "noncurrent_days" {
  type        = number
  description = "Days that a replaced or deleted object's old version is kept."
  default     = 90

  validation {
    condition     = var.noncurrent_days >= 1
    error_message = "noncurrent_days must be at least 1."
  }
}
