"""The service-guide website: collect pages (plan) → render (one Jinja environment) → write whole."""
