# link_or_copy.cmake - cmake -DFROM=<file> -DTO=<file> -P link_or_copy.cmake: makes TO a hard link
# to FROM, or a copy where the two are on different file systems. A hard link rather than a
# symbolic one: a case binary finds its own folder through /proc/self/exe (the replay commands it
# prints name the casebook beside it), which a symbolic link would resolve to FROM's folder.
file(REMOVE ${TO})
file(CREATE_LINK ${FROM} ${TO} COPY_ON_ERROR)
