#!/usr/bin/env bash
# Install everything the tests need and run every test:
# Debian's chromium (the browser tests drive it through Playwright; Playwright cannot download
# browsers here) and LibreOffice's Writer and Calc without their GUI (the PDF tests print Word
# and Excel files to PDF with it, as offices do), the package with its test extras in .venv,
# then lint, types and pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
if ! command -v chromium >/dev/null 2>&1 || ! fc-list :lang=zh | grep -q .; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
fi
if ! command -v soffice >/dev/null 2>&1; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
    libreoffice-writer-nogui libreoffice-calc-nogui >/dev/null
fi

python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e ".[test]"

.venv/bin/ruff check builder tests benchmarks
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
