"""Routers: HTTP only — read the request, negotiate the representation *before* any work, call a service,
render. Each module is a Flask blueprint."""
