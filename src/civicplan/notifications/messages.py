"""The messages CivicPlan sends (filled in by the notifications work)."""
