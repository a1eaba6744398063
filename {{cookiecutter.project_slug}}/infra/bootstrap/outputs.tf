output "state_bucket" {
  description = "Put this in ../environments/*.s3.tfbackend (bucket = ...)."
  value       = module.state_bucket.id
}

output "ecr_repository_urls" {
  description = "Where CI pushes the images, by image."
  value       = { for name, repository in aws_ecr_repository.image : name => repository.repository_url }
}

output "push_role_arn" {
  description = "GitHub repository variable AWS_PUSH_ROLE_ARN."
  value       = aws_iam_role.push.arn
}

output "plan_role_arn" {
  description = "GitHub repository variable AWS_PLAN_ROLE_ARN."
  value       = aws_iam_role.plan.arn
}

output "deploy_role_arn" {
  description = "GitHub repository variable AWS_DEPLOY_ROLE_ARN."
  value       = aws_iam_role.deploy.arn
}

output "api_key_secrets" {
  description = "The Secrets Manager secret of each environment's API key, by environment."
  value       = { for environment, secret in aws_secretsmanager_secret.api_key : environment => secret.name }
}
