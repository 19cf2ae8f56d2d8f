# Applies XPCTEST_SANITIZE to every target defined after this point.
if(XPCTEST_SANITIZE)
  list(JOIN XPCTEST_SANITIZE "," _xpctest_sanitizers)
  add_compile_options(-fsanitize=${_xpctest_sanitizers} -fno-omit-frame-pointer
                      -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${_xpctest_sanitizers})
endif()
