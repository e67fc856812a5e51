"""API shapes (request and response models), separate from the tables in app.models."""
