from odoo.tests import Form

from .service_common import ServiceCommon


class NetworkCommon(ServiceCommon):
    """The service network around the customer's espresso machine: the
    customer lives in Portugal, machines are a category of their own, and a
    dealer in Portugal has an active agreement for them (40 an hour, parts at
    cost + 10 %, 7 days to repair)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portugal = cls.env.ref("base.pt")
        cls.spain = cls.env.ref("base.es")
        cls.customer.write({"country_id": cls.portugal.id, "street": "1 Rua Augusta"})
        cls.categ_machines = cls.env["product.category"].create(
            {
                "name": "Espresso Machines",
                "parent_id": cls.env.ref("product.product_category_all").id,
            }
        )
        cls.product_serial.categ_id = cls.categ_machines
        cls.dealer = cls.env["res.partner"].create(
            {
                "name": "Lisbon Coffee Dealer",
                "street": "12 Avenida da Liberdade",
                "city": "Lisbon",
                "country_id": cls.portugal.id,
                "phone": "+351 21 000 1111",
            }
        )
        cls.Agreement = cls.env["aftersales.service.agreement"].with_user(cls.as_manager)
        cls.agreement = cls._new_agreement(cls.dealer)
        cls.agreement.action_activate()
        cls.DealerClaim = cls.env["aftersales.dealer.claim"].with_user(cls.as_user)

    @classmethod
    def _new_agreement(cls, partner, **values):
        """A draft agreement with ``partner``, by default a dealer's for the
        machines in Portugal."""
        return cls.Agreement.create(
            {
                "partner_id": partner.id,
                "role": "dealer",
                "date_start": "2025-06-01",
                "date_end": "2027-05-31",
                "product_categ_ids": [(6, 0, cls.categ_machines.ids)],
                "country_ids": [(6, 0, cls.portugal.ids)],
                "labour_rate": 40.0,
                "parts_markup": 10.0,
                "response_days": 7,
                **values,
            }
        )

    @classmethod
    def _new_dealer_claim(cls, lot=None, hours=2.5, parts=((None, 2.0),), **values):
        """A draft claim of the dealer for ``hours`` and ``parts``
        [(product or None for the gasket, quantity)], made in the form."""
        with Form(cls.DealerClaim) as form:
            form.partner_id = values.pop("partner", cls.dealer)
            form.lot_id = lot or cls.lot
            form.date_repair = values.pop("date_repair", "2026-01-05")
            form.labour_hours = hours
            for product, quantity in parts:
                with form.line_ids.new() as line:
                    line.product_id = product or cls.part
                    line.quantity = quantity
        claim = form.record
        if values:
            claim.write(values)
        return claim
