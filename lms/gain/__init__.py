"""Pre-tests and post-tests: the pretest comes first, and the learning gain between the two."""
