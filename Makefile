# The two set-up commands of README.md, and the linters.
#   make run   Odoo with the add-on and its demo data on http://127.0.0.1:$(PORT)
#   make test  a fresh database, a clean install, then the test suite
ODOO_PATH ?= /opt/odoo18
DB ?= aftersales_demo
PORT ?= 8069
TEST_DB ?= aftersales_test
export ODOO_PATH DB PORT TEST_DB

.PHONY: prepare run test lint

prepare:
	@bash tools/prepare.sh

run: prepare
	@bash tools/run.sh

test: prepare
	@bash tools/test.sh

lint: prepare
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/pylint --rcfile=.pylintrc aftersales_service
