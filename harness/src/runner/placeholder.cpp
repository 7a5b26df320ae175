// replaced by the process runner
