"""Services: what the server knows how to do, independent of HTTP (routers call them; they read the store
through :class:`cstograph.store.GraphStore` and what was computed once at start-up)."""
