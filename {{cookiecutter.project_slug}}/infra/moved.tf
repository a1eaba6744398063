# Where resources were before the bucket and the service became modules, so that an environment
# created by an older template version keeps its bucket and its service (Terraform moves them in
# the state instead of replacing them).
moved {
  from = aws_s3_bucket.models
  to   = module.models.aws_s3_bucket.this
}

moved {
  from = aws_s3_bucket_versioning.models
  to   = module.models.aws_s3_bucket_versioning.this
}

moved {
  from = aws_s3_bucket_server_side_encryption_configuration.models
  to   = module.models.aws_s3_bucket_server_side_encryption_configuration.this
}

moved {
  from = aws_s3_bucket_public_access_block.models
  to   = module.models.aws_s3_bucket_public_access_block.this
}

moved {
  from = aws_s3_bucket_lifecycle_configuration.models
  to   = module.models.aws_s3_bucket_lifecycle_configuration.this
}

moved {
  from = aws_s3_bucket_policy.models
  to   = module.models.aws_s3_bucket_policy.this
}

moved {
  from = aws_cloudwatch_log_group.api
  to   = module.api.aws_cloudwatch_log_group.this
}

moved {
  from = aws_iam_role.api
  to   = module.api.aws_iam_role.task
}

moved {
  from = aws_iam_role_policy.read_models
  to   = module.api.aws_iam_role_policy.task
}

moved {
  from = aws_ecs_task_definition.api
  to   = module.api.aws_ecs_task_definition.this
}

moved {
  from = aws_ecs_service.api
  to   = module.api.aws_ecs_service.this
}

moved {
  from = aws_lb_target_group.api
  to   = module.api.aws_lb_target_group.this
}

moved {
  from = aws_vpc_security_group_egress_rule.alb_to_tasks
  to   = module.api.aws_vpc_security_group_egress_rule.from_load_balancer
}

moved {
  from = aws_vpc_security_group_ingress_rule.tasks_from_alb
  to   = module.api.aws_vpc_security_group_ingress_rule.from_load_balancer
}

moved {
  from = aws_appautoscaling_target.api
  to   = module.api.aws_appautoscaling_target.this
}

moved {
  from = aws_appautoscaling_policy.cpu
  to   = module.api.aws_appautoscaling_policy.cpu[0]
}

moved {
  from = aws_appautoscaling_policy.requests
  to   = module.api.aws_appautoscaling_policy.requests[0]
}
