# The public entry point. With a certificate, HTTP redirects to HTTPS; without one, HTTP serves.
# The serving listener answers only what a service's listener rule admits (its paths, and for a
# closed service its allowed CIDRs); everything else, and /metrics always, gets a 404.
resource "aws_lb" "main" {
  name                       = local.name
  load_balancer_type         = "application"
  security_groups            = [aws_security_group.alb.id]
  subnets                    = aws_subnet.public[*].id
  drop_invalid_header_fields = true
  enable_deletion_protection = var.deletion_protection
  #checkov:skip=CKV_AWS_91:Access logs need a log bucket with a special policy; enable them when traffic justifies it.
  #checkov:skip=CKV2_AWS_20:HTTP redirects to HTTPS whenever a certificate is given (see the listeners).
  #checkov:skip=CKV2_AWS_28:A WAF costs at least 5 USD a month plus rules; add one for a public prod service.
}

locals {
  # The listener that serves requests (the other one, if any, redirects to it).
  listener_arn = local.https ? aws_lb_listener.https[0].arn : aws_lb_listener.http.arn
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.main.arn
  port              = 80
  protocol          = "HTTP"
  #checkov:skip=CKV_AWS_2:Plain HTTP only redirects when a certificate is given; without one it is the only listener.
  #checkov:skip=CKV_AWS_103:TLS applies to the HTTPS listener.

  default_action {
    type = local.https ? "redirect" : "fixed-response"

    dynamic "redirect" {
      for_each = local.https ? [1] : []
      content {
        port        = "443"
        protocol    = "HTTPS"
        status_code = "HTTP_301"
      }
    }

    dynamic "fixed_response" {
      for_each = local.https ? [] : [1]
      content {
        content_type = "text/plain"
        message_body = "Not found"
        status_code  = "404"
      }
    }
  }
}

resource "aws_lb_listener" "https" {
  count             = local.https ? 1 : 0
  load_balancer_arn = aws_lb.main.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = var.certificate_arn

  default_action {
    type = "fixed-response"

    fixed_response {
      content_type = "text/plain"
      message_body = "Not found"
      status_code  = "404"
    }
  }
}

# Prometheus metrics are for the inside only, even if api_paths is widened to "/*".
resource "aws_lb_listener_rule" "metrics_stay_inside" {
  listener_arn = local.listener_arn
  priority     = 1

  action {
    type = "fixed-response"

    fixed_response {
      content_type = "text/plain"
      message_body = "Not found"
      status_code  = "404"
    }
  }

  condition {
    path_pattern {
      values = ["/metrics", "/metrics/*"]
    }
  }
}

check "https" {
  assert {
    condition     = local.https
    error_message = "WARNING: no certificate_arn, so the load balancer serves plain HTTP: API keys and messages cross the internet unencrypted. Request an ACM certificate and set certificate_arn (infra/README.md, \"HTTPS\")."
  }
}
