# configurations.cmake - the detector configurations every case is compiled in.
#
# One configure builds them all with per-target flags, so `casebook run` can pick the binary
# that fits each detector: plain (watchdog, invariant, property, ...), tsan, asan (ASan and
# UBSan together), noise (plain with seeded schedule noise in the cb:: facade, for the
# invariant-noise detector) and model (the controlled scheduler: the cb:: facade becomes
# harness/model/'s scheduling points).
# The flags are also written into results.json and build standalone programs, so they live in
# one place: here (harness/src/configurations/ turns them into the runner's table).

set(CASEBOOK_CONFIGURATIONS plain tsan asan noise model)

# casebook_backtrace_debug_flags(family out_var): debug information for code that is read only
# through stack traces: the sanitizers' reports, the model's and the invariant checks', a
# crash's backtrace. They name functions, files, lines and inlined frames, which the line tables
# and inlining records carry; variable locations and types give them nothing. clang spells that
# -gline-tables-only, plus -fdebug-info-for-profiling for the functions' linkage names (without
# it an inlined frame is "bump", not "cb::box::bump()"): a sixth to a fifth of a case's compile
# (silent_thread_death/fixed under tsan 0.96 s -> 0.78 s, the tsan case host's main.cpp 3.11 s
# -> 2.34 s) and the same located lines pair for pair (docs/measured.md, 2026-12-07). gcc
# keeps -g and drops its variable-location tracking: a fifth to a quarter of a case's compile
# (silent_thread_death/fixed 1.5-1.7 s of CPU, 1.2 s without).
function(casebook_backtrace_debug_flags family out_var)
  if(family STREQUAL "clang")
    set(${out_var} -gline-tables-only -fdebug-info-for-profiling PARENT_SCOPE)
  elseif(family STREQUAL "gcc")
    set(${out_var} -g -fno-var-tracking PARENT_SCOPE)
  else()
    message(FATAL_ERROR "casebook_backtrace_debug_flags: unknown compiler family '${family}'")
  endif()
endfunction()

# casebook_configuration_flags(config family out_var): config's compile flags for a compiler
# family, clang or gcc. The case binaries use their own compiler's (CASEBOOK_FLAGS_<config>,
# below); a standalone program run under the other compiler's TSan (tsan-gcc in a clang build)
# is compiled with the other family's (harness/src/programs/), since each takes flags the other
# refuses.
function(casebook_configuration_flags config family out_var)
  if(NOT family MATCHES "^(clang|gcc)$")
    message(FATAL_ERROR "casebook_configuration_flags: unknown compiler family '${family}'")
  endif()
  # plain is what Valgrind (helgrind, drd) runs, and what the watchdog reads hung stacks from:
  # full debug info, as DWARF 4 because Valgrind 3.19 cannot read the DWARF 5 .debug_info that
  # clang-14 and gcc-12 emit by default (DW_FORM_strx1/addrx: "unhandled dwarf2 abbrev form
  # code"). On a small program it only drops every inlined frame (a lambda, lock_guard, the cb::
  # facade), so the case's own line vanishes from most stacks; on casebook-cases-plain it gives
  # up altogether ("debuginfo reader: Possibly corrupted debuginfo file. I can't recover.")
  # before the case runs. clang adds -gdwarf-aranges (gcc emits the table by default): the
  # address ranges table that lets eu-stack find a frame's compile unit, and so its source line
  # and inlined frames; without it eu-stack prints the case's frames bare.
  if(config STREQUAL "plain")
    set(flags -O2 -gdwarf-4 -fno-omit-frame-pointer)
    if(family STREQUAL "clang")
      list(APPEND flags -gdwarf-aranges)
    endif()
    set(${out_var} ${flags} PARENT_SCOPE)
    return()
  endif()
  # The other four are read only through stack traces (casebook_backtrace_debug_flags).
  casebook_backtrace_debug_flags(${family} debug)
  # -O1 for the sanitizers: fast enough, and keeps stacks close to the source.
  if(config STREQUAL "tsan")
    set(flags -O1 ${debug} -fno-omit-frame-pointer -fsanitize=thread)
  elseif(config STREQUAL "asan")
    set(flags -O1 ${debug} -fno-omit-frame-pointer -fsanitize=address,undefined
              -fno-sanitize-recover=address)
  elseif(config STREQUAL "noise")
    set(flags -O2 ${debug} -fno-omit-frame-pointer -DCASEBOOK_FACADE_NOISE)
  elseif(config STREQUAL "model")
    # A plain build whose facade is the model (no sanitizer: one OS thread runs everything,
    # and the scheduler itself reports what goes wrong).
    set(flags -O2 ${debug} -fno-omit-frame-pointer -DCASEBOOK_FACADE_MODEL)
  else()
    message(FATAL_ERROR "casebook_configuration_flags: unknown configuration '${config}'")
  endif()
  set(${out_var} ${flags} PARENT_SCOPE)
endfunction()

# The compiler family of this build, and each configuration's flags for it.
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  set(CASEBOOK_COMPILER_FAMILY clang)
elseif(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  set(CASEBOOK_COMPILER_FAMILY gcc)
else()
  message(FATAL_ERROR "casebook builds its cases with clang or gcc, not ${CMAKE_CXX_COMPILER_ID}")
endif()
foreach(config IN LISTS CASEBOOK_CONFIGURATIONS)
  casebook_configuration_flags(${config} ${CASEBOOK_COMPILER_FAMILY} CASEBOOK_FLAGS_${config})
endforeach()
set(CASEBOOK_LINK_plain "")
set(CASEBOOK_LINK_tsan -fsanitize=thread)
set(CASEBOOK_LINK_asan -fsanitize=address,undefined)
set(CASEBOOK_LINK_noise "")
set(CASEBOOK_LINK_model "")
# A configuration's runtime library, linked into everything built in it: the cb:: facade's
# schedule noise, the model checker. Only code written against the case API builds in these
# (a standalone program does not).
set(CASEBOOK_RUNTIME_noise casebook::noise)
set(CASEBOOK_RUNTIME_model casebook::model)

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
endfunction()
