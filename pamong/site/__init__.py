"""The composition root's app: the home page, demo data and the demo command. It may import every module."""
