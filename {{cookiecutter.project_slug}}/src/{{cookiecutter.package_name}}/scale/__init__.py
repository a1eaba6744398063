"""Batch scoring and training past one machine on Dask: local, an existing cluster, AWS Fargate."""
