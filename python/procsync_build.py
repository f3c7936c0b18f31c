"""A self-contained PEP 517 build backend for procsync, so that it installs offline with nothing
but the interpreter: ``pip install ./python`` (with or without ``--no-build-isolation``) needs
no setuptools, no wheel package and no index.

The optional C extension is compiled with the C compiler Python was built with (``cc`` from
sysconfig) against the interpreter's headers; if that fails the wheel is pure Python and procsync
uses its ctypes fallback. Run ``python3 procsync_build.py`` to build the extension in place for
use from a checkout (``PYTHONPATH=python``).
"""

import base64
import hashlib
import os
import shlex
import subprocess
import sys
import sysconfig
import tempfile
import zipfile

NAME = "procsync"
VERSION = "0.1.0"
HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE = os.path.join(HERE, NAME)

METADATA = """Metadata-Version: 2.1
Name: procsync
Version: {version}
Summary: multiprocessing-style Lock, Event, Semaphore, Queue ... shared by name with JVM processes
Requires-Python: >=3.9
Classifier: Operating System :: POSIX :: Linux
"""


def compile_native(out_dir, verbose=True):
    """Compiles procsync/_native.c into out_dir; returns the file name or None without a compiler."""
    suffix = sysconfig.get_config_var("EXT_SUFFIX") or ".so"
    target = os.path.join(out_dir, "_native" + suffix)
    cc = shlex.split(sysconfig.get_config_var("CC") or "cc")
    include = sysconfig.get_paths()["include"]
    cmd = cc + ["-shared", "-fPIC", "-O2", "-std=gnu11", "-Wall", "-I" + include,
                os.path.join(PACKAGE, "_native.c"), "-o", target]
    try:
        result = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    except OSError as e:
        if verbose:
            print("procsync: no C compiler (%s); installing the ctypes fallback only" % e, file=sys.stderr)
        return None
    if result.returncode != 0:
        if verbose:
            print("procsync: the C extension did not compile; installing the ctypes fallback only\n"
                  + result.stdout, file=sys.stderr)
        return None
    return os.path.basename(target)


def _record_line(arcname, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return "%s,sha256=%s,%d" % (arcname, digest, len(data))


def _tag(native):
    if not native:
        return "py3-none-any"
    impl = sys.implementation.cache_tag.replace("cpython-", "cp")
    plat = sysconfig.get_platform().replace("-", "_").replace(".", "_")
    return "%s-%s-%s" % (impl, impl, plat)


# ---- PEP 517 hooks ----

def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    with tempfile.TemporaryDirectory() as tmp:
        native = compile_native(tmp)
        tag = _tag(native)
        dist_info = "%s-%s.dist-info" % (NAME, VERSION)
        wheel_name = "%s-%s-%s.whl" % (NAME, VERSION, tag)
        files = []
        for entry in sorted(os.listdir(PACKAGE)):
            path = os.path.join(PACKAGE, entry)
            if entry.endswith((".py", ".c")) and os.path.isfile(path):
                with open(path, "rb") as f:
                    files.append((NAME + "/" + entry, f.read()))
        if native:
            with open(os.path.join(tmp, native), "rb") as f:
                files.append((NAME + "/" + native, f.read()))
        files.append((dist_info + "/METADATA", METADATA.format(version=VERSION).encode()))
        files.append((dist_info + "/WHEEL", ("Wheel-Version: 1.0\nGenerator: procsync_build\n"
                                             "Root-Is-Purelib: %s\nTag: %s\n"
                                             % ("false" if native else "true", tag)).encode()))
        files.append((dist_info + "/top_level.txt", (NAME + "\n").encode()))
        record = "\n".join(_record_line(n, d) for n, d in files) + "\n%s/RECORD,,\n" % dist_info
        files.append((dist_info + "/RECORD", record.encode()))
        with zipfile.ZipFile(os.path.join(wheel_directory, wheel_name), "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in files:
                z.writestr(name, data)
        return wheel_name


def build_sdist(sdist_directory, config_settings=None):
    import tarfile
    base = "%s-%s" % (NAME, VERSION)
    name = base + ".tar.gz"
    with tarfile.open(os.path.join(sdist_directory, name), "w:gz") as t:
        for entry in ("pyproject.toml", "procsync_build.py", "README.md", NAME, "tests"):
            path = os.path.join(HERE, entry)
            if os.path.exists(path):
                t.add(path, base + "/" + entry,
                      filter=lambda i: None if "__pycache__" in i.name or i.name.endswith(".so") else i)
        pkg_info = METADATA.format(version=VERSION).encode()
        info = tarfile.TarInfo(base + "/PKG-INFO")
        info.size = len(pkg_info)
        import io
        t.addfile(info, io.BytesIO(pkg_info))
    return name


if __name__ == "__main__":
    built = compile_native(PACKAGE)
    print("built %s" % os.path.join(PACKAGE, built) if built else "no extension built: ctypes fallback")
    sys.exit(0 if built else 1)
