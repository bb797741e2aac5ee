"""SQL storage of crawls, columns, observations and findings."""
