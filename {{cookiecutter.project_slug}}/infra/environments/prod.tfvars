environment         = "prod"
min_tasks           = 2
max_tasks           = 6
deletion_protection = true
