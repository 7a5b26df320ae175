// harness_pch.cpp - the one translation unit of the targets that own a copy of the precompiled
// cmake/harness_pch_headers.hpp: casebook_harness_pch_owner (cmake/warnings.cmake), reused by
// every harness and report target, and casebook_fuzz_pch_owner (tests/fuzz), reused by the fuzz
// targets. No code of its own.
