from odoo import fields, models
from odoo.tools import SQL

REPEAT_DAYS = 90  # a serial received again within these days is a repeat


class AftersalesServiceReport(models.Model):
    """One row per service order, to analyse the after-sales service: how long
    the orders take and how late they are, what they cost against their norm
    and what they earn, which defects and which units come back.

    The rows are a SQL query read each time the report is (``_table_query``,
    as ``sale.report`` does) rather than a view created once: an open order's
    lateness counts up to today, in the reader's time zone, which a view would
    take from the database's clock instead."""

    _name = "aftersales.service.report"
    _description = "Service Analysis"
    _auto = False
    _rec_name = "service_order_id"
    _order = "date desc, service_order_id desc"
    # What the query reads: flushed before the report is.
    _depends = {
        "aftersales.service.order": [
            "company_id",
            "coverage",
            "cost_norm",
            "cost_total",
            "cost_variance",
            "create_date",
            "date_deadline",
            "date_done",
            "date_received",
            "lot_id",
            "margin",
            "partner_id",
            "product_id",
            "rating_last_value",
            "resolution",
            "revenue",
            "state",
            "user_id",
        ],
        "aftersales.defect": ["defect_type_id", "service_order_id"],
        "product.product": ["product_tmpl_id"],
        "product.template": ["categ_id"],
        "res.company": ["currency_id"],
    }

    service_order_id = fields.Many2one("aftersales.service.order", readonly=True)
    date = fields.Date(readonly=True, help="The day the unit was received, else the order's.")
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    product_categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    lot_id = fields.Many2one("stock.lot", string="Serial Number", readonly=True)
    user_id = fields.Many2one("res.users", string="Technician", readonly=True)
    state = fields.Selection(selection="_selection_state", readonly=True)
    coverage = fields.Selection(selection="_selection_coverage", readonly=True)
    resolution = fields.Selection(selection="_selection_resolution", readonly=True)
    defect_type_id = fields.Many2one(
        "aftersales.defect.type",
        readonly=True,
        help="The type of the order's first defect.",
    )
    turnaround_days = fields.Float(
        string="Turnaround (days)",
        digits=(16, 2),
        readonly=True,
        aggregator="avg",
        help="Days from the unit's receipt to the order's completion (done orders).",
    )
    days_late = fields.Integer(
        readonly=True,
        aggregator="avg",
        help="Days past the deadline when done, or until today while open (0 when on time).",
    )
    currency_id = fields.Many2one("res.currency", readonly=True)
    cost_total = fields.Monetary(string="Total Cost", readonly=True)
    cost_norm = fields.Monetary(string="Norm Cost", readonly=True)
    cost_variance = fields.Monetary(
        string="Variance", readonly=True, help="The total cost less the norm cost."
    )
    revenue = fields.Monetary(
        readonly=True, help="Invoiced to the customer, untaxed, net of credit notes."
    )
    margin = fields.Monetary(readonly=True, help="The revenue less the total cost.")
    rating = fields.Float(
        string="Customer Rating",
        digits=(16, 2),
        readonly=True,
        aggregator="avg",
        help="The customer's last score of the service (1 to 5); empty until rated. "
        "Grouped by technician, the average of their orders' scores.",
    )
    is_repeat = fields.Boolean(
        string="Repeat",
        readonly=True,
        help=f"The same serial was received within the {REPEAT_DAYS} days before.",
    )
    company_id = fields.Many2one("res.company", readonly=True)

    def _selection_state(self):
        return self.env["aftersales.service.order"]._fields["state"].selection

    def _selection_coverage(self):
        return self.env["aftersales.service.order"]._fields["coverage"].selection

    def _selection_resolution(self):
        return self.env["aftersales.service.order"]._fields["resolution"].selection

    @property
    def _table_query(self):
        tz = self.env.context.get("tz") or self.env.user.tz or "UTC"
        return SQL(
            """
            SELECT
                so.id AS id,
                so.id AS service_order_id,
                (COALESCE(so.date_received, so.create_date)
                    AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date AS date,
                so.partner_id,
                so.product_id,
                template.categ_id AS product_categ_id,
                so.lot_id,
                so.user_id,
                so.state,
                so.coverage,
                so.resolution,
                first_defect.defect_type_id,
                CASE WHEN so.date_done IS NOT NULL AND so.date_received IS NOT NULL
                     THEN EXTRACT(EPOCH FROM (so.date_done - so.date_received)) / 86400.0
                END AS turnaround_days,
                CASE WHEN so.date_deadline IS NULL OR so.state = 'cancel' THEN 0
                     ELSE GREATEST(
                         COALESCE(
                             (so.date_done AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date,
                             %(today)s::date
                         ) - so.date_deadline,
                         0)
                END AS days_late,
                company.currency_id,
                COALESCE(so.cost_total, 0.0) AS cost_total,
                COALESCE(so.cost_norm, 0.0) AS cost_norm,
                COALESCE(so.cost_variance, 0.0) AS cost_variance,
                COALESCE(so.revenue, 0.0) AS revenue,
                COALESCE(so.margin, 0.0) AS margin,
                NULLIF(so.rating_last_value, 0.0) AS rating,
                EXISTS (
                    SELECT 1
                      FROM aftersales_service_order previous
                     WHERE previous.lot_id = so.lot_id
                       AND previous.id != so.id
                       AND previous.state != 'cancel'
                       AND previous.date_received < COALESCE(so.date_received, so.create_date)
                       AND previous.date_received >= COALESCE(so.date_received, so.create_date)
                           - make_interval(days => %(repeat_days)s)
                ) AS is_repeat,
                so.company_id
            FROM aftersales_service_order so
            JOIN res_company company ON company.id = so.company_id
            LEFT JOIN product_product product ON product.id = so.product_id
            LEFT JOIN product_template template ON template.id = product.product_tmpl_id
            LEFT JOIN LATERAL (
                SELECT defect.defect_type_id
                  FROM aftersales_defect defect
                 WHERE defect.service_order_id = so.id
              ORDER BY defect.id
                 LIMIT 1
            ) first_defect ON TRUE
            """,
            tz=tz,
            today=fields.Date.context_today(self),
            repeat_days=REPEAT_DAYS,
        )
