// test_pch.cpp - the one translation unit of casebook_test_pch (cmake/test_pch.cmake), the
// target whose precompiled header every test program reuses. It has no code of its own.
