"""The documents the office signs, one builder module each; `registry.py` lists them by kind.

A builder takes the job's owner (whose rights decide what goes in), the validated params, the format and a
progress callback, and returns (file name without extension, bytes). Known problems raise `base.JobError` with a
Russian message for the user. A new document is a builder, a template, a line in `registry.DOCUMENTS` and a test —
no migration: `Job.kind` is a plain string checked against the registry.
"""
