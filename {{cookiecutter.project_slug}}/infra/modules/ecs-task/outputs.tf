output "arn" {
  description = "ARN of the task definition (with its revision)."
  value       = aws_ecs_task_definition.this.arn
}

output "family" {
  description = "Family of the task definition (RunTask accepts it for the newest revision)."
  value       = aws_ecs_task_definition.this.family
}
