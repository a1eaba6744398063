environment         = "staging"
min_tasks           = 1
max_tasks           = 2
deletion_protection = false
