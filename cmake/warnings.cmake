# Compiler warnings for our own targets, and the optional sanitizer build.
add_library(ff_warnings INTERFACE)
target_compile_options(ff_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                             -Wold-style-cast -Wcast-align -Wunused -Woverloaded-virtual
                                             -Wnull-dereference -Wformat=2 -Wimplicit-fallthrough)
if(FF_WARNINGS_AS_ERRORS)
  target_compile_options(ff_warnings INTERFACE -Werror)
endif()

if(FF_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
