# srma_add_layer(name [DEPENDS layer...]): an OBJECT library srma_layer_<name> built from
# src/<name>/**.cpp. Its public include path is include/ (the public headers of every layer); its
# only private include path is src/<name>/, so private headers of other layers cannot be reached.
# DEPENDS names the layers directly below it; usage requirements flow from them, objects do not
# (components collect the objects, see srma_add_component).
function(srma_add_layer name)
  cmake_parse_arguments(arg "" "" "DEPENDS" ${ARGN})
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/src/${name}/*.cpp")
  add_library(srma_layer_${name} OBJECT ${sources})
  target_include_directories(srma_layer_${name}
    PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
    PRIVATE ${PROJECT_SOURCE_DIR}/src/${name})
  target_compile_features(srma_layer_${name} PUBLIC cxx_std_20)
  set_target_properties(srma_layer_${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  foreach(dep ${arg_DEPENDS})
    target_link_libraries(srma_layer_${name} PUBLIC srma_layer_${dep})
  endforeach()
  if(name STREQUAL "util")
    target_compile_definitions(srma_layer_util PRIVATE SRMA_VERSION="${PROJECT_VERSION}")
  endif()
  srma_set_warnings(srma_layer_${name})
endfunction()

# srma_add_component(name LAYERS layer... [COMPONENT_DEPS component...] [PUBLIC_DEPS target...]
#                    [PRIVATE_DEPS target...]): the static library srma_<name> (alias srma::<name>)
# from the objects of LAYERS and, with SRMA_BUILD_SHARED, the shared srma_<name>_shared (alias
# srma::<name>_shared). Both are installed as libsrma_<name>.a / libsrma_<name>.so.
function(srma_add_component name)
  cmake_parse_arguments(arg "" "" "LAYERS;COMPONENT_DEPS;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  set(kinds STATIC)
  if(SRMA_BUILD_SHARED)
    list(APPEND kinds SHARED)
  endif()
  foreach(kind ${kinds})
    if(kind STREQUAL "STATIC")
      set(target srma_${name})
      set(suffix "")
    else()
      set(target srma_${name}_shared)
      set(suffix "_shared")
    endif()
    add_library(${target} ${kind})
    add_library(srma::${name}${suffix} ALIAS ${target})
    foreach(layer ${arg_LAYERS})
      target_sources(${target} PRIVATE $<TARGET_OBJECTS:srma_layer_${layer}>)
    endforeach()
    target_include_directories(${target} PUBLIC
      $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
      $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
    target_compile_features(${target} PUBLIC cxx_std_20)
    foreach(dep ${arg_COMPONENT_DEPS})
      target_link_libraries(${target} PUBLIC srma_${dep}${suffix})
    endforeach()
    target_link_libraries(${target} PUBLIC ${arg_PUBLIC_DEPS} PRIVATE ${arg_PRIVATE_DEPS})
    set_target_properties(${target} PROPERTIES
      OUTPUT_NAME srma_${name} EXPORT_NAME ${name}${suffix}
      VERSION ${PROJECT_VERSION} SOVERSION ${PROJECT_VERSION_MAJOR})
    if(kind STREQUAL "SHARED")
      # An installed libsrma_plot.so finds libsrma_report.so and libsrma_core.so beside itself,
      # also when the program that loads it does not link them directly (--as-needed drops them).
      set_target_properties(${target} PROPERTIES INSTALL_RPATH "\$ORIGIN")
    endif()
    set_property(GLOBAL APPEND PROPERTY SRMA_COMPONENT_${name}_TARGETS ${target})
  endforeach()
  set_property(GLOBAL APPEND PROPERTY SRMA_COMPONENTS ${name})
endfunction()
