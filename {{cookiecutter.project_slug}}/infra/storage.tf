# The model store of this environment: `models/` holds the versions and aliases that training
# writes (<PACKAGE>_MODEL_STORE=s3://<bucket>/models) and the API reads. Whoever can write there
# decides what code the service runs (models are pickles): see the README's security model.
module "models" {
  source      = "./modules/bucket"
  name        = "${local.name}-models-${local.account_id}"
  kms_key_arn = aws_kms_key.models.arn
{%- if cookiecutter.use_monitoring %}
  expirations = { "prediction-log/" = var.prediction_log_retention_days } # monitoring.tf
{%- endif %}
}

resource "aws_kms_key" "models" {
  description             = "Encrypts the models and logs of ${local.name}."
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.models_key.json
}

data "aws_iam_policy_document" "models_key" {
  #checkov:skip=CKV_AWS_109:A key policy: its "*" resource is the key itself.
  #checkov:skip=CKV_AWS_111:A key policy: its "*" resource is the key itself.
  #checkov:skip=CKV_AWS_356:A key policy: its "*" resource is the key itself.
  statement {
    sid       = "AccountAdministers"
    actions   = ["kms:*"]
    resources = ["*"] # in a key policy, the key itself
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${local.account_id}:root"]
    }
  }
  statement {
    sid       = "CloudWatchLogsEncrypt"
    actions   = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
    resources = ["*"] # in a key policy, the key itself
    principals {
      type        = "Service"
      identifiers = ["logs.${var.aws_region}.amazonaws.com"]
    }
    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:aws:logs:${var.aws_region}:${local.account_id}:log-group:/${var.project}/${var.environment}/*"]
    }
  }
}
