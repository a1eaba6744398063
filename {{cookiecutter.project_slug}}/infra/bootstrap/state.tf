# The bucket that holds every environment's Terraform state (locked with S3 lock files).
module "state_bucket" {
  source      = "../modules/bucket"
  name        = local.state_bucket
  kms_key_arn = aws_kms_key.state.arn
}

resource "aws_kms_key" "state" {
  description             = "Encrypts the Terraform state of ${var.project}."
  enable_key_rotation     = true
  deletion_window_in_days = 30
  #checkov:skip=CKV2_AWS_64:The default key policy (the account administers the key) is intended.
}

# Where the bucket's resources were before the bucket became a module (older template versions).
moved {
  from = aws_s3_bucket.state
  to   = module.state_bucket.aws_s3_bucket.this
}

moved {
  from = aws_s3_bucket_versioning.state
  to   = module.state_bucket.aws_s3_bucket_versioning.this
}

moved {
  from = aws_s3_bucket_server_side_encryption_configuration.state
  to   = module.state_bucket.aws_s3_bucket_server_side_encryption_configuration.this
}

moved {
  from = aws_s3_bucket_public_access_block.state
  to   = module.state_bucket.aws_s3_bucket_public_access_block.this
}

moved {
  from = aws_s3_bucket_lifecycle_configuration.state
  to   = module.state_bucket.aws_s3_bucket_lifecycle_configuration.this
}

moved {
  from = aws_s3_bucket_policy.state
  to   = module.state_bucket.aws_s3_bucket_policy.this
}
