# The two set-up commands of README.md, and the linters and checks CI adds.
#   make run              Odoo with the add-on and its demo data on http://127.0.0.1:$(PORT)
#   make test             a fresh database, a clean install, then the test suite
#   make test-odoo        Odoo's repair, sale_stock and stock suites with the add-on installed
#   make check-uninstall  install with demo data, upgrade, uninstall: nothing lost or left
#   make bench            a million warranties seeded in bulk, the figures of README's Benchmarks
#   make pot              regenerate the translation template and merge it into the .po files
ODOO_PATH ?= /opt/odoo18
DB ?= aftersales_demo
PORT ?= 8069
TEST_DB ?= aftersales_test
TEST_ODOO_DB ?= aftersales_odoo_test
UNINSTALL_DB ?= aftersales_odoo_uninstall
BENCH_DB ?= aftersales_bench
export ODOO_PATH DB PORT TEST_DB TEST_ODOO_DB UNINSTALL_DB BENCH_DB

.PHONY: prepare run test test-odoo check-uninstall bench lint pot

prepare:
	@bash tools/prepare.sh

run: prepare
	@bash tools/run.sh

test: prepare
	@bash tools/test.sh

test-odoo: prepare
	@bash tools/test-odoo.sh

check-uninstall: prepare
	@bash tools/check-uninstall.sh

pot: prepare
	@bash tools/pot.sh

bench: prepare
	@bash tools/bench.sh

lint: prepare
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/pylint --rcfile=.pylintrc aftersales_service
