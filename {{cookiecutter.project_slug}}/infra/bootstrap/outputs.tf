output "state_bucket" {
  description = "Put this in ../environments/*.s3.tfbackend (bucket = ...)."
  value       = aws_s3_bucket.state.bucket
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
