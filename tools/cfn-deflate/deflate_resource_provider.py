"""Deflates the ResourceProvider.zip of `cfn submit` (and `cfn submit --dry-run`).

cloudformation-cli-typescript-plugin 1.0.2 writes ResourceProvider.zip in
TypescriptLanguagePlugin._pre_package with `ZipFile(f, mode="w")`, whose default compression is
ZIP_STORED; the CLI then stores that file, again uncompressed, in the package it uploads (on purpose,
see rpdk.core.project.Project.submit). Neither takes an option for it. The CLI loads every
`rpdk.v1.extensions` entry point before it runs any command, so this extension replaces that one
method with the same code writing ZIP_DEFLATED entries, and adds `cfn resource-provider-zip`, which
shows how a package's ResourceProvider.zip is compressed.
"""

import io
import zipfile
from tempfile import TemporaryFile

from rpdk.core.plugin_base import ExtensionPlugin

PACKAGE_ENTRY = "ResourceProvider.zip"


def _pre_package_deflated(self, build_path):
    # pylint: disable=consider-using-with
    f = TemporaryFile("w+b")
    with zipfile.ZipFile(
        f, mode="w", compression=zipfile.ZIP_DEFLATED, compresslevel=9, strict_timestamps=False
    ) as zip_file:
        self._recursive_relative_write(build_path, build_path, zip_file)
    f.seek(0)
    return f


def _deflate_typescript_plugin():
    try:
        from rpdk.typescript import codegen  # pylint: disable=import-outside-toplevel
    except ImportError:
        return
    plugin = codegen.TypescriptLanguagePlugin
    if not callable(getattr(plugin, "_pre_package", None)) or not callable(
        getattr(plugin, "_recursive_relative_write", None)
    ):
        raise RuntimeError(
            "cloudformation-cli-typescript-plugin no longer has _pre_package/_recursive_relative_write: "
            "check how this version writes ResourceProvider.zip before deflating it (pinned: 1.0.2)."
        )
    plugin._pre_package = _pre_package_deflated  # pylint: disable=protected-access


_deflate_typescript_plugin()


def describe(package_path):
    """One line per entry of the package's ResourceProvider.zip: name, method, stored and full size."""
    with zipfile.ZipFile(package_path) as package:
        try:
            inner = package.read(PACKAGE_ENTRY)
        except KeyError as err:
            raise SystemExit(f"{package_path} has no {PACKAGE_ENTRY}: build it with `cfn submit --dry-run`.") from err
    lines = [f"{PACKAGE_ENTRY}: {len(inner)} bytes"]
    with zipfile.ZipFile(io.BytesIO(inner)) as resource_provider:
        for entry in resource_provider.infolist():
            method = "deflated" if entry.compress_type == zipfile.ZIP_DEFLATED else "stored"
            lines.append(f"  {entry.filename}: {method}, {entry.compress_size} of {entry.file_size} bytes")
    return "\n".join(lines)


class ResourceProviderZipExtension(ExtensionPlugin):
    """`cfn resource-provider-zip [PACKAGE]`: how the package's ResourceProvider.zip is compressed."""

    COMMAND_NAME = "resource-provider-zip"

    def setup_parser(self, parser):
        parser.description = "Show how the ResourceProvider.zip of a package (cfn submit --dry-run) is compressed."
        parser.add_argument("package", nargs="?", default=None, help="the package zip (default: <type-name>.zip here)")
        parser.set_defaults(command=self._show)

    @staticmethod
    def _show(args):
        package = args.package
        if package is None:
            from rpdk.core.project import Project  # pylint: disable=import-outside-toplevel

            project = Project()
            project.load()
            package = f"{project.hypenated_name}.zip"
        print(describe(package))
