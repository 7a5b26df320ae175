// replaced by the parsers
