"""The learner's path: catalogue, course pages, activities, progress and "my courses"."""
