output "id" {
  description = "The bucket's name, as resources refer to it."
  value       = aws_s3_bucket.this.id
}

output "arn" {
  description = "The bucket's ARN (objects are under arn/*)."
  value       = aws_s3_bucket.this.arn
}
