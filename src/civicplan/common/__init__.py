"""What every app of the project shares and that belongs to none of them: today's date, page
numbering, fast URL building, the public page cache and the owner's name. Django-aware, no
models; above the pure libraries and the audit log, below every app."""
