"""CivicPlan: the annual activity plan of a network of municipalities, as data."""
