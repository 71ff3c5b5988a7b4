#!/usr/bin/env bash
# Validates openapi.yaml (at the repository root) against the OpenAPI 3.1 schema with
# openapi-spec-validator (PyPI), installing it with pip first when it is missing.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
spec="$root/openapi.yaml"

if command -v openapi-spec-validator >/dev/null 2>&1; then
    exec openapi-spec-validator "$spec"
fi

python="$(command -v python3 || command -v python || true)"
if [ -z "$python" ]; then
    echo "check-openapi: python3 is missing; install it (apt-get install python3 python3-pip)" >&2
    exit 1
fi
if ! "$python" -c 'import openapi_spec_validator' >/dev/null 2>&1; then
    echo "check-openapi: installing openapi-spec-validator with pip"
    # Debian's own Python refuses installs outside a virtual environment (PEP 668) unless told to.
    export PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1
    "$python" -m pip install --quiet openapi-spec-validator 2>/dev/null \
        || "$python" -m pip install --quiet --break-system-packages openapi-spec-validator \
        || {
            echo "check-openapi: could not install openapi-spec-validator with pip" >&2
            exit 1
        }
fi
# pip may put the command where PATH does not look; the module runs the same check.
exec "$python" -m openapi_spec_validator "$spec"
