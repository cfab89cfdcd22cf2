"""The employers' periodic jobs."""
