from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class AftersalesSupplierClaimLine(models.Model):
    _name = "aftersales.supplier.claim.line"
    _description = "Supplier Claim Line"
    _check_company_auto = True

    claim_id = fields.Many2one(
        "aftersales.supplier.claim", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="claim_id.company_id", store=True)
    currency_id = fields.Many2one(related="claim_id.currency_id")
    service_order_id = fields.Many2one(
        "aftersales.service.order", index="btree_not_null", check_company=True
    )
    product_id = fields.Many2one(
        "product.product",
        required=True,
        check_company=True,
        ondelete="restrict",
        compute="_compute_from_service_order",
        store=True,
        readonly=False,
        precompute=True,
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Serial Number",
        check_company=True,
        domain="[('product_id', '=', product_id)]",
        compute="_compute_from_service_order",
        store=True,
        readonly=False,
        precompute=True,
    )
    defect_id = fields.Many2one(
        "aftersales.defect",
        index="btree_not_null",
        check_company=True,
        compute="_compute_defect_id",
        store=True,
        readonly=False,
        precompute=True,
        domain="[('service_order_id', '=', service_order_id), ('responsibility', '=', 'supplier')]",
        help="The defect of the service order the vendor answers for; filled in when "
        "the order has exactly one defect of the supplier's responsibility.",
    )
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure", required=True)
    price_unit = fields.Monetary(
        string="Unit Price",
        compute="_compute_price_unit",
        store=True,
        readonly=False,
        precompute=True,
    )
    price_subtotal = fields.Monetary(compute="_compute_price_subtotal", store=True)
    description = fields.Text(
        string="Fault",
        compute="_compute_from_service_order",
        store=True,
        readonly=False,
        precompute=True,
    )
    date_received = fields.Date(
        string="Received from Vendor",
        compute="_compute_supplier_warranty",
        store=True,
        help="When the unit came from the vendor (the vendor receipt of its serial).",
    )
    date_failure = fields.Date(
        string="Failure Date",
        compute="_compute_date_failure",
        store=True,
        readonly=False,
        precompute=True,
    )
    supplier_warranty_months = fields.Integer(
        compute="_compute_supplier_warranty", store=True, string="Vendor Warranty (months)"
    )
    in_supplier_warranty = fields.Boolean(
        compute="_compute_supplier_warranty",
        store=True,
        help="The failure happened within the vendor's warranty from the day we received it.",
    )

    @api.constrains("quantity", "price_unit")
    def _check_quantity(self):
        for line in self:
            if line.quantity <= 0:
                raise ValidationError(
                    self.env._(
                        "The claimed quantity of %s must be positive.", line.product_id.display_name
                    )
                )
            if line.price_unit < 0:
                raise ValidationError(self.env._("A claimed unit price cannot be negative."))

    @api.depends("service_order_id")
    def _compute_from_service_order(self):
        for line in self:
            order = line.service_order_id
            line.product_id = order.product_id or line.product_id
            line.lot_id = order.lot_id or line.lot_id
            line.description = order.description or line.description

    @api.depends("service_order_id")
    def _compute_defect_id(self):
        for line in self:
            defects = line.service_order_id.defect_ids
            supplier = defects.filtered(lambda defect: defect.responsibility == "supplier")
            if line.defect_id and line.defect_id in defects:
                line.defect_id = line.defect_id
            else:
                line.defect_id = supplier if len(supplier) == 1 else False

    @api.depends("product_id", "claim_id.partner_id")
    def _compute_price_unit(self):
        claims = self.env["aftersales.supplier.claim"]
        for line in self:
            if line.product_id and line.claim_id.partner_id:
                line.price_unit = claims._vendor_price(line.claim_id.partner_id, line.product_id)
            else:
                line.price_unit = line.price_unit

    @api.constrains("defect_id", "service_order_id")
    def _check_defect(self):
        for line in self:
            if line.defect_id and line.defect_id.service_order_id != line.service_order_id:
                raise ValidationError(
                    self.env._(
                        "The defect %(defect)s of a claim line must be one of its service "
                        "order %(order)s.",
                        defect=line.defect_id.display_name,
                        order=line.service_order_id.name or "-",
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        """Lines are added to draft claims only."""
        claims = self.env["aftersales.supplier.claim"].browse(
            vals["claim_id"] for vals in vals_list if vals.get("claim_id")
        )
        claims._check_lines_editable()
        return super().create(vals_list)

    def write(self, vals):
        """The lines of a sent claim are what the vendor received: they stay."""
        self.claim_id._check_lines_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sent(self):
        self.claim_id._check_lines_editable()

    @api.depends("quantity", "price_unit")
    def _compute_price_subtotal(self):
        for line in self:
            line.price_subtotal = line.quantity * line.price_unit

    @api.depends("service_order_id.date_received")
    def _compute_date_failure(self):
        for line in self:
            received = line.service_order_id.date_received
            line.date_failure = fields.Date.context_today(line, received or None)

    @api.depends("claim_id.partner_id", "product_id", "lot_id", "date_failure")
    def _compute_supplier_warranty(self):
        claims = self.env["aftersales.supplier.claim"]
        receipts = claims._vendor_receipts(self.lot_id)
        for line in self:
            receipt = receipts.get(line.lot_id)
            line.date_received = receipt and fields.Date.context_today(line, receipt.date_done)
            info = claims._vendor_info(line.claim_id.partner_id, line.product_id)
            line.supplier_warranty_months = info.warranty_months
            line.in_supplier_warranty = bool(
                line.date_received
                and line.date_failure
                and info.warranty_months
                and line.date_failure
                < line.date_received + relativedelta(months=info.warranty_months)
            )
