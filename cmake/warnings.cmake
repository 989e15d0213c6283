# Compiler warnings for our own targets, and the optional sanitizer build.
add_library(ff_warnings INTERFACE)
target_compile_options(ff_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                             -Wold-style-cast -Wcast-align -Wunused -Woverloaded-virtual
                                             -Wformat=2 -Wimplicit-fallthrough)
# GCC 12 reports -Wrestrict and -Wmaybe-uninitialized inside libstdc++'s std::string and std::optional
# when optimising (GCC bugs 105329, 105651): false positives in code that is not ours.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(ff_warnings INTERFACE -Wno-restrict -Wno-maybe-uninitialized)
endif()
if(FF_WARNINGS_AS_ERRORS)
  target_compile_options(ff_warnings INTERFACE -Werror)
endif()

if(FF_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
