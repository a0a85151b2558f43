"""Comments on tasks, events and documents: Markdown, @mentions, edits, resolving; one table and
one service module for every owner (docs/architecture.md, Discussion and files)."""
