"""Running an installation: backups (`civicplan backup`, `civicplan restore`) and the retention
of what is kept on disk (`civicplan prune`)."""
