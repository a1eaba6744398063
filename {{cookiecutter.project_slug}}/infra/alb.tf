# The public entry point. With a certificate, HTTP redirects to HTTPS; without one, HTTP serves.
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

resource "aws_lb_target_group" "api" {
  name                 = "${local.name}-api"
  port                 = 8000
  protocol             = "HTTP"
  target_type          = "ip"
  vpc_id               = aws_vpc.main.id
  deregistration_delay = 30
  #checkov:skip=CKV_AWS_378:TLS ends at the load balancer; tasks are reachable from it only, inside the VPC.

  health_check {
    path                = "/health/ready"
    matcher             = "200"
    interval            = 15
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.main.arn
  port              = 80
  protocol          = "HTTP"
  #checkov:skip=CKV_AWS_2:Plain HTTP only redirects when a certificate is given; without one it is the only listener.
  #checkov:skip=CKV_AWS_103:TLS applies to the HTTPS listener.

  default_action {
    type             = local.https ? "redirect" : "forward"
    target_group_arn = local.https ? null : aws_lb_target_group.api.arn

    dynamic "redirect" {
      for_each = local.https ? [1] : []
      content {
        port        = "443"
        protocol    = "HTTPS"
        status_code = "HTTP_301"
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
    type             = "forward"
    target_group_arn = aws_lb_target_group.api.arn
  }
}
