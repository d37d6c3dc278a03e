# File: setup.py
#
# Builds the extension module srma._srma with CMake (python/CMakeLists.txt), which compiles the
# srma C++ libraries one directory up and links them in. Everything comes from Debian packages;
# nothing is downloaded. Metadata lives in pyproject.toml.
#
# Example:
#
#   python3 -m pip install --no-build-isolation --no-index ./python
#
# Environment:
#   SRMA_PY_BUILD_DIR          CMake build folder (default: setuptools' build_temp, kept between
#                              runs so that a rebuild only compiles what changed)
#   CMAKE_BUILD_PARALLEL_LEVEL parallel compile jobs (default: the number of cores)
#   SRMA_SOURCE_DIR            srma sources when this folder is not inside them
#   SRMA_PY_BUILD_TYPE         CMake build type (default Release)
import os
import subprocess
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = Path(__file__).resolve().parent


class cmake_extension(Extension):
    """An extension whose only source is a CMake project (no sources for setuptools itself)."""

    def __init__(self, name: str, source_dir: Path):
        super().__init__(name, sources=[])
        self.source_dir = source_dir


class cmake_build(build_ext):
    """Configures and builds python/CMakeLists.txt, putting _srma*.so where the wheel wants it."""

    def build_extension(self, ext: cmake_extension) -> None:
        output = Path(self.get_ext_fullpath(ext.name)).resolve()
        build_dir = Path(os.environ.get("SRMA_PY_BUILD_DIR") or self.build_temp).resolve()
        build_dir.mkdir(parents=True, exist_ok=True)
        config = [
            "cmake",
            "-S", str(ext.source_dir),
            "-B", str(build_dir),
            f"-DCMAKE_BUILD_TYPE={os.environ.get('SRMA_PY_BUILD_TYPE', 'Release')}",
            f"-DPython_EXECUTABLE={sys.executable}",
            f"-DSRMA_PY_OUTPUT_DIR={output.parent}",
        ]
        if os.environ.get("SRMA_SOURCE_DIR"):
            config.append(f"-DSRMA_SOURCE_DIR={os.environ['SRMA_SOURCE_DIR']}")
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL") or str(os.cpu_count() or 1)
        subprocess.run(config, check=True)
        subprocess.run(["cmake", "--build", str(build_dir), "--target", "_srma", "-j", jobs],
                       check=True)
        # pybind11 names the module with Python's EXT_SUFFIX, as setuptools does; check it.
        if not output.exists():
            raise RuntimeError(f"CMake did not produce {output}")


setup(
    ext_modules=[cmake_extension("srma._srma", HERE)],
    cmdclass={"build_ext": cmake_build},
)
