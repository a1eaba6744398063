"""Route support messages to teams: data, training, evaluation, model store and prediction."""
