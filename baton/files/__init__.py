"""Files attached to tasks, events, documents and their comments: one table, one service module,
one way to check, store, serve and remove them (docs/architecture.md, Discussion and files)."""
