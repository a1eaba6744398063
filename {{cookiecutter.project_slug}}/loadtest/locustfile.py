"""Load test of the prediction service: `make load-test` against a service on loopback."""

import random

from locust import FastHttpUser, constant, task

MESSAGES = [
    "My parcel never arrived, where is it?",
    "I was charged twice for the same order",
    "How do I return shoes that are too small?",
    "The app crashes when I open my basket",
    "Please delete my account and my data",
]


class SupportClient(FastHttpUser):
    """A client that routes one message at a time, and sometimes a batch."""

    wait_time = constant(0)

    @task(10)
    def predict(self) -> None:
        self.client.post("/v1/predict", json={"text": random.choice(MESSAGES)})

    @task(1)
    def predict_batch(self) -> None:
        self.client.post("/v1/predict/batch", json={"texts": MESSAGES * 4})
