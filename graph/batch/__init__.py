"""Many posts: the batch runner, inputs, the question bank and its exports (Markdown, CSV, Anki, report.html)."""
