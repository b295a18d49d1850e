from odoo import api, fields, models


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    aftersales_service_loc_id = fields.Many2one(
        "stock.location",
        string="Service Location",
        check_company=True,
        help="Where the customers' units wait for and undergo service.",
    )
    aftersales_loaner_loc_id = fields.Many2one(
        "stock.location",
        string="Loaners Location",
        check_company=True,
        help="Where the devices lent to customers during a service wait between loans.",
    )
    aftersales_loan_out_type_id = fields.Many2one(
        "stock.picking.type", string="Loaner Delivery Type", check_company=True
    )
    aftersales_loan_in_type_id = fields.Many2one(
        "stock.picking.type", string="Loaner Return Type", check_company=True
    )
    aftersales_vendor_return_type_id = fields.Many2one(
        "stock.picking.type", string="Vendor Return Type", check_company=True
    )
    aftersales_in_type_id = fields.Many2one(
        "stock.picking.type", string="Service Receipt Type", check_company=True
    )
    aftersales_out_type_id = fields.Many2one(
        "stock.picking.type", string="Service Return Type", check_company=True
    )
    aftersales_workshop_type_id = fields.Many2one(
        "stock.picking.type", string="Workshop Transfer Type", check_company=True
    )

    def _aftersales_picking_types(self):
        """The after-sales operation types of this warehouse:
        {field: (name, code, sequence code, source location, destination location)}."""
        customers = self.env.ref("stock.stock_location_customers")
        suppliers = self.env.ref("stock.stock_location_suppliers")
        service = self.aftersales_service_loc_id
        loaners = self.aftersales_loaner_loc_id
        return {
            "aftersales_in_type_id": (
                self.env._("Service Receipts"),
                "incoming",
                "SVIN",
                customers,
                service,
            ),
            "aftersales_out_type_id": (
                self.env._("Service Returns"),
                "outgoing",
                "SVOUT",
                service,
                customers,
            ),
            "aftersales_workshop_type_id": (
                self.env._("Workshop Transfers"),
                "outgoing",
                "SVWS",
                service,
                suppliers,
            ),
            "aftersales_vendor_return_type_id": (
                self.env._("Vendor Returns"),
                "outgoing",
                "SVRET",
                service,
                suppliers,
            ),
            "aftersales_loan_out_type_id": (
                self.env._("Loaner Deliveries"),
                "outgoing",
                "LNOUT",
                loaners,
                customers,
            ),
            "aftersales_loan_in_type_id": (
                self.env._("Loaner Returns"),
                "incoming",
                "LNIN",
                customers,
                loaners,
            ),
        }

    def _get_locations_values(self, vals, code=False):
        values = super()._get_locations_values(vals, code=code)
        code = (vals.get("code") or code or "").replace(" ", "").upper()
        company_id = vals.get("company_id", self.default_get(["company_id"])["company_id"])
        for field, name, barcode in (
            ("aftersales_service_loc_id", self.env._("Service"), "SERVICE"),
            ("aftersales_loaner_loc_id", self.env._("Loaners"), "LOANERS"),
        ):
            values[field] = {
                "name": name,
                "active": True,
                "usage": "internal",
                "barcode": self._valid_barcode(code + barcode, company_id),
            }
        return values

    def _get_sequence_values(self, name=False, code=False):
        values = super()._get_sequence_values(name=name, code=code)
        code = code or self.code
        for field, (
            label,
            _code,
            seq_code,
            _src,
            _dest,
        ) in self._aftersales_picking_types().items():
            values[field] = {
                "name": f"{name or self.name} {label}",
                "prefix": f"{code}/{self[field].sequence_code or seq_code}/",
                "padding": 5,
                "company_id": self.company_id.id,
            }
        return values

    def _get_picking_type_create_values(self, max_sequence):
        data, max_sequence = super()._get_picking_type_create_values(max_sequence)
        types = self._aftersales_picking_types()
        for offset, (field, (label, code, seq_code, src, dest)) in enumerate(types.items()):
            data[field] = {
                "name": label,
                "code": code,
                "use_create_lots": True,
                "use_existing_lots": True,
                "default_location_src_id": src.id,
                "default_location_dest_id": dest.id,
                "sequence": max_sequence + offset + 1,
                "sequence_code": seq_code,
                "company_id": self.company_id.id,
                "show_operations": True,
            }
        return data, max_sequence + len(types) + 1

    def _get_picking_type_update_values(self):
        data = super()._get_picking_type_update_values()
        barcode = self.code.replace(" ", "").upper()
        for field, (
            _label,
            _code,
            seq_code,
            _src,
            _dest,
        ) in self._aftersales_picking_types().items():
            data[field] = {"active": self.active, "barcode": barcode + seq_code}
        return data

    @api.model
    def _aftersales_setup_all(self):
        """Create the after-sales locations and operation types the warehouses lack
        (those that existed before the add-on was installed)."""
        missing = [
            (field, "=", False)
            for field in (
                "aftersales_service_loc_id",
                "aftersales_loaner_loc_id",
                *self._aftersales_picking_types(),
            )
        ]
        warehouses = self.with_context(active_test=False).search(
            ["|"] * (len(missing) - 1) + missing
        )
        for warehouse in warehouses:
            warehouse._create_missing_locations({})
            values = warehouse._create_or_update_sequences_and_picking_types()
            if values:
                warehouse.write(values)
