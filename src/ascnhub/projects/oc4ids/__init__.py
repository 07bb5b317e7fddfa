"""OC4IDS, the open-data standard our project package is published in: its schema copy and validator."""
