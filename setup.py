"""Ship ``microflask_as_flask.pth`` into site-packages (the metadata lives in
pyproject.toml).

The one-line hook lets ``MICROFLASK_AS_FLASK=1`` alias ``flask``/``werkzeug``
to microflask/wsgikit in any process (``gunicorn app:app``) with no code
change; with the switch off it costs one environment lookup and imports
nothing. A ``.pth`` must sit at the top of site-packages, outside every
package, so ``build_py`` copies it into the build tree's root, for wheels; for an
editable install (PEP 660) setuptools points ``install_lib`` at the root of
the editable wheel it is assembling, so the hook is written there instead.
"""

from __future__ import annotations

import os

from setuptools import setup
from setuptools.command.build_py import build_py

PTH = "microflask_as_flask.pth"


class build_py_with_pth(build_py):
    """``build_py`` that also puts the ``.pth`` hook at the build root."""

    def run(self) -> None:
        super().run()
        self.copy_file(PTH, self._pth_target(), preserve_mode=False)

    def _pth_target(self) -> str:
        if getattr(self, "editable_mode", False):
            return os.path.join(self.get_finalized_command("install").install_lib, PTH)
        return os.path.join(self.build_lib, PTH)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = list(super().get_outputs(include_bytecode))
        if not getattr(self, "editable_mode", False):
            outputs.append(os.path.join(self.build_lib, PTH))
        return outputs

    def get_output_mapping(self) -> dict[str, str]:
        mapping = dict(super().get_output_mapping())
        if not getattr(self, "editable_mode", False):
            mapping[os.path.join(self.build_lib, PTH)] = PTH
        return mapping


setup(cmdclass={"build_py": build_py_with_pth})
