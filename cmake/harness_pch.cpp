// harness_pch.cpp - the one translation unit of casebook_harness_pch_owner (cmake/warnings.cmake),
// the target whose precompiled header every harness and report target reuses. No code of its own.
