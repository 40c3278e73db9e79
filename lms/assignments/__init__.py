"""Assignment submissions and their grading by coaches, mentors and instructors."""
