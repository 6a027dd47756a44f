#!/bin/sh
# Create bench/.venv-openfisca with openfisca-core, for bench/rules_openfisca.py only (git-ignored; never in
# requirements.lock). Usage: sh bench/setup_openfisca.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
venv="$here/.venv-openfisca"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "openfisca-core>=43,<45"
"$venv/bin/python" -c "import openfisca_core, numpy; print('openfisca-core', openfisca_core.__version__ if hasattr(openfisca_core, '__version__') else '', 'numpy', numpy.__version__)"
