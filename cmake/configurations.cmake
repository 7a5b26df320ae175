# configurations.cmake - the detector configurations every case is compiled in.
#
# One configure builds them all with per-target flags, so `casebook run` can pick the binary
# that fits each detector: plain (watchdog, invariant, property, ...), tsan, asan (ASan and
# UBSan together), noise (plain with seeded schedule noise in the cb:: facade, for the
# invariant-noise detector) and model (the controlled scheduler: the cb:: facade becomes
# harness/model/'s scheduling points).
# The flags are also written into results.json, so they live in one place: here.

set(CASEBOOK_CONFIGURATIONS plain tsan asan noise model)

# -O1 for sanitizer builds: fast enough, and keeps stacks close to the source.
# plain is also what Valgrind (helgrind, drd) runs: -gdwarf-4 because Valgrind 3.19 cannot read
# the DWARF 5 .debug_info that clang-14 and gcc-12 emit by default (DW_FORM_strx1/addrx:
# "unhandled dwarf2 abbrev form code"). On a small program it only drops every inlined frame
# (a lambda, lock_guard, the cb:: facade), so the case's own line vanishes from most stacks;
# on casebook-cases-plain it gives up altogether ("debuginfo reader: Possibly corrupted
# debuginfo file. I can't recover.") before the case runs.
set(CASEBOOK_FLAGS_plain -O2 -gdwarf-4 -fno-omit-frame-pointer)
# -gdwarf-aranges (clang; gcc emits the table by default): the address ranges table that lets
# eu-stack, the watchdog's stack reader, find a frame's compile unit, and so its source line
# and inlined frames; without it eu-stack prints the case's frames bare.
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  list(APPEND CASEBOOK_FLAGS_plain -gdwarf-aranges)
endif()
set(CASEBOOK_FLAGS_tsan -O1 -g -fno-omit-frame-pointer -fsanitize=thread)
set(CASEBOOK_FLAGS_asan -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined
    -fno-sanitize-recover=address)
# gcc (the other compiler's TSan catalog, or a gcc build): its variable-location tracking was
# a fifth to a quarter of a case's compile at -O1 -g (silent_thread_death/fixed 1.5-1.7 s of
# CPU, 1.2 s without) and gives the sanitizers nothing: their reports name functions, files,
# lines and inlined frames, which come from the line tables and inlining records it leaves
# alone. What is lost is a debugger's view of optimised variables in these two builds.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  list(APPEND CASEBOOK_FLAGS_tsan -fno-var-tracking)
  list(APPEND CASEBOOK_FLAGS_asan -fno-var-tracking)
endif()
set(CASEBOOK_FLAGS_noise -O2 -g -fno-omit-frame-pointer -DCASEBOOK_FACADE_NOISE)
# The model build is a plain one whose facade is the model (no sanitizer: one OS thread runs
# everything, and the scheduler itself reports what goes wrong).
set(CASEBOOK_FLAGS_model -O2 -g -fno-omit-frame-pointer)
set(CASEBOOK_LINK_plain "")
set(CASEBOOK_LINK_tsan -fsanitize=thread)
set(CASEBOOK_LINK_asan -fsanitize=address,undefined)
set(CASEBOOK_LINK_noise "")
set(CASEBOOK_LINK_model "")
# A configuration's runtime library, linked into everything built in it.
set(CASEBOOK_RUNTIME_noise casebook::noise)

# casebook_apply_configuration(target config): compile and link target in configuration config.
function(casebook_apply_configuration target config)
  if(NOT config IN_LIST CASEBOOK_CONFIGURATIONS)
    message(FATAL_ERROR "unknown casebook configuration '${config}'")
  endif()
  target_compile_options(${target} PRIVATE ${CASEBOOK_FLAGS_${config}})
  target_link_options(${target} PRIVATE ${CASEBOOK_LINK_${config}})
  target_compile_definitions(${target} PRIVATE CASEBOOK_CONFIGURATION="${config}")
  if(CASEBOOK_RUNTIME_${config})
    target_link_libraries(${target} PRIVATE ${CASEBOOK_RUNTIME_${config}})
  endif()
  if(config STREQUAL "model")
    target_compile_definitions(${target} PRIVATE CASEBOOK_FACADE_MODEL)
    target_link_libraries(${target} PRIVATE casebook::model)
  endif()
endfunction()
