"""Cohorts (angkatan): membership, staff, deadlines, supervisors' reports, exports and reminders."""
