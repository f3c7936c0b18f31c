import os

import procsync
from procsync import UntrustedFileError

from .support import NamespaceTestCase


class TrustRule(NamespaceTestCase):
    def test_should_create_the_namespace_directory_0700_and_files_0600(self):
        self.ns.Lock("l")
        self.assertEqual(0o700, os.stat(self.ns.directory).st_mode & 0o777)
        self.assertEqual(0o600, os.stat(os.path.join(self.ns.directory, "l")).st_mode & 0o777)

    def test_should_refuse_a_symbolic_link_instead_of_following_it(self):
        self.ns.Lock("real")
        os.symlink(os.path.join(self.ns.directory, "real"), os.path.join(self.ns.directory, "link"))
        with self.assertRaisesRegex(UntrustedFileError, "symbolic link"):
            self.ns.Lock("link")
        os.symlink(self.ns.directory, os.path.join(self.root, "alias"))
        with self.assertRaises(UntrustedFileError):
            procsync.Namespace("alias", root=self.root)

    def test_should_refuse_a_file_with_a_wider_mode(self):
        self.ns.Lock("l")
        os.chmod(os.path.join(self.ns.directory, "l"), 0o666)
        with self.assertRaisesRegex(UntrustedFileError, "wider than the trusted 0600"):
            self.ns.Lock("l")

    def test_should_default_to_the_per_user_root(self):
        saved = os.environ.pop("PROCSYNC_ROOT", None)
        try:
            self.assertEqual("/dev/shm/procsync-%d" % os.geteuid(), procsync.default_root())
        finally:
            if saved is not None:
                os.environ["PROCSYNC_ROOT"] = saved
