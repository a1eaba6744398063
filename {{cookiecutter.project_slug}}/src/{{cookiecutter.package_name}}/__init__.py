"""Route support messages to teams: data, training, evaluation, model store and prediction."""

DISTRIBUTION = "{{ cookiecutter.project_slug }}"  # the name this project is installed under
