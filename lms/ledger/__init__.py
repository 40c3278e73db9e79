"""The JP (jam pelajaran) ledger: learning hours from courses here and from external training."""
