"""HTTP layer: thin routers that parse parameters, call a service and shape the answer."""
