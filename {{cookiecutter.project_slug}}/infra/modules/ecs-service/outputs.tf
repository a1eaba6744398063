output "service_name" {
  description = "Name of the ECS service."
  value       = aws_ecs_service.this.name
}

output "task_role_arn" {
  description = "Role of the service's tasks."
  value       = aws_iam_role.task.arn
}

output "target_group_arn" {
  description = "Target group of the service's tasks."
  value       = aws_lb_target_group.this.arn
}
