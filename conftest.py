"""pytest-odoo imports Odoo's test framework before it turns Odoo's test mode on,
and Odoo logs an ERROR when that framework is imported outside test mode: import
it in test mode first, then leave the mode as pytest-odoo expects it."""

import pytest


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_cmdline_main(config):
    from odoo.tools import config as odoo_config

    enabled = odoo_config["test_enable"]
    odoo_config["test_enable"] = True
    import odoo.tests.common  # noqa: F401

    odoo_config["test_enable"] = enabled
    yield
