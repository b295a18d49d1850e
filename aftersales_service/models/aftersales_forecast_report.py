from odoo import fields, models
from odoo.tools import SQL

from .local_time import user_tz_name

FORECAST_MONTHS = 12  # months forecast, from the current one
HISTORY_MONTHS = 12  # whole months before the current one the rates are observed on


class AftersalesForecastReport(models.Model):
    """The warranty work and cost to expect, per product, in each of the next
    twelve months (the current one first), for production and sales planning.

    - ``installed_units``: the units whose warranty covers at least one day of
      the month (a void warranty stops the day before it was voided);
    - the rates come from the twelve whole months before the current one: the
      orders under warranty (not cancelled, by the day the unit was received)
      per unit-month under warranty (each unit counted in each month it was
      covered), and the average cost of those of them that are done (of all of
      them while none is);
    - ``expected_orders`` = units x rate; ``expected_cost`` = that x the average cost;
    - ``cost_per_unit``: what the warranty of one unit sold costs over its
      life (rate x average cost x the average warranty months of the product's
      units), the figure a price must carry.

    One SQL query read each time (``_table_query``, as ``sale.report`` does),
    so that "today" is the reader's day, not the database clock's."""

    _name = "aftersales.forecast.report"
    _description = "Warranty Forecast"
    _auto = False
    _rec_name = "product_id"
    _order = "month, product_id"
    # What the query reads: flushed before the report is.
    _depends = {
        "aftersales.warranty": [
            "company_id",
            "date_end",
            "date_start",
            "extension_months",
            "months",
            "product_id",
            "quantity",
            "state",
            "void_date",
        ],
        "aftersales.service.order": [
            "company_id",
            "cost_total",
            "coverage",
            "create_date",
            "date_received",
            "product_id",
            "state",
        ],
        "product.product": ["product_tmpl_id"],
        "product.template": ["categ_id"],
        "res.company": ["currency_id"],
    }

    month = fields.Date(readonly=True, help="The forecast month (its first day).")
    product_id = fields.Many2one("product.product", readonly=True)
    product_categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    installed_units = fields.Float(
        digits="Product Unit of Measure",
        readonly=True,
        help="Units under warranty during the month.",
    )
    expected_orders = fields.Float(
        digits=(16, 2), readonly=True, help="Service orders under warranty to expect in the month."
    )
    expected_cost = fields.Monetary(
        readonly=True,
        help="What the service orders under warranty of the month are expected to cost.",
    )
    order_rate = fields.Float(
        string="Orders per Unit-Month",
        digits=(16, 4),
        readonly=True,
        aggregator="avg",
        help="Service orders under warranty per unit and month under warranty, observed over "
        "the twelve whole months before the current one.",
    )
    cost_per_order = fields.Monetary(
        readonly=True,
        aggregator="avg",
        help="The average cost of the service orders under warranty of those months.",
    )
    warranty_months = fields.Float(
        digits=(16, 1),
        readonly=True,
        aggregator="avg",
        help="The average warranty length of the product's units, extensions included.",
    )
    cost_per_unit = fields.Monetary(
        string="Warranty Cost per Unit Sold",
        readonly=True,
        aggregator="avg",
        help="What the warranty of one unit sold is expected to cost over its life: the "
        "price must carry it.",
    )

    @property
    def _table_query(self):
        tz = user_tz_name(self.env)  # one PostgreSQL knows, or the query fails
        first = fields.Date.context_today(self).replace(day=1)
        return SQL(
            """
            WITH forecast_month AS (
                SELECT month::date AS month
                  FROM generate_series(%(first)s::date,
                                       %(first)s::date + make_interval(months => %(ahead)s - 1),
                                       interval '1 month') month
            ),
            history_month AS (
                SELECT month::date AS month
                  FROM generate_series(%(first)s::date - make_interval(months => %(back)s),
                                       %(first)s::date - interval '1 month',
                                       interval '1 month') month
            ),
            covered AS (
                SELECT warranty.company_id,
                       warranty.product_id,
                       warranty.quantity,
                       warranty.months + COALESCE(warranty.extension_months, 0) AS months,
                       warranty.date_start,
                       CASE WHEN warranty.state = 'void'
                            THEN LEAST(warranty.date_end, warranty.void_date - 1)
                            ELSE warranty.date_end
                       END AS date_end
                  FROM aftersales_warranty warranty
                 WHERE warranty.state != 'void' OR warranty.void_date IS NOT NULL
            ),
            exposure AS (
                SELECT covered.company_id, covered.product_id, SUM(covered.quantity) AS unit_months
                  FROM covered
                  JOIN history_month history
                    ON covered.date_start < history.month + interval '1 month'
                   AND covered.date_end >= history.month
              GROUP BY covered.company_id, covered.product_id
            ),
            observed AS (
                SELECT so.company_id,
                       so.product_id,
                       COUNT(*) AS orders,
                       AVG(so.cost_total) FILTER (WHERE so.state = 'done') AS cost_done,
                       AVG(so.cost_total) AS cost_all
                  FROM aftersales_service_order so
                 WHERE so.coverage = 'warranty'
                   AND so.state != 'cancel'
                   AND (COALESCE(so.date_received, so.create_date)
                        AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date
                       BETWEEN %(first)s::date - make_interval(months => %(back)s)
                           AND %(first)s::date - 1
              GROUP BY so.company_id, so.product_id
            ),
            rate AS (
                SELECT exposure.company_id,
                       exposure.product_id,
                       COALESCE(observed.orders, 0) / exposure.unit_months AS order_rate,
                       COALESCE(observed.cost_done, observed.cost_all, 0) AS cost_per_order
                  FROM exposure
             LEFT JOIN observed
                    ON observed.company_id = exposure.company_id
                   AND observed.product_id = exposure.product_id
                 WHERE exposure.unit_months > 0
            ),
            installed AS (
                SELECT covered.company_id, covered.product_id, forecast.month,
                       SUM(covered.quantity) AS units
                  FROM covered
                  JOIN forecast_month forecast
                    ON covered.date_start < forecast.month + interval '1 month'
                   AND covered.date_end >= forecast.month
              GROUP BY covered.company_id, covered.product_id, forecast.month
            ),
            installed_product AS (
                SELECT covered.company_id,
                       covered.product_id,
                       SUM(covered.quantity * covered.months) / SUM(covered.quantity)
                           AS warranty_months
                  FROM covered
                 WHERE EXISTS (
                        SELECT 1 FROM installed
                         WHERE installed.company_id = covered.company_id
                           AND installed.product_id = covered.product_id)
              GROUP BY covered.company_id, covered.product_id
            )
            SELECT
                ROW_NUMBER() OVER (ORDER BY product.company_id, product.product_id, forecast.month)
                    AS id,
                forecast.month,
                product.product_id,
                template.categ_id AS product_categ_id,
                product.company_id,
                company.currency_id,
                COALESCE(installed.units, 0) AS installed_units,
                COALESCE(installed.units, 0) * COALESCE(rate.order_rate, 0) AS expected_orders,
                COALESCE(installed.units, 0) * COALESCE(rate.order_rate, 0)
                    * COALESCE(rate.cost_per_order, 0) AS expected_cost,
                COALESCE(rate.order_rate, 0) AS order_rate,
                COALESCE(rate.cost_per_order, 0) AS cost_per_order,
                product.warranty_months,
                COALESCE(rate.order_rate, 0) * COALESCE(rate.cost_per_order, 0)
                    * product.warranty_months AS cost_per_unit
            FROM installed_product product
            CROSS JOIN forecast_month forecast
            JOIN res_company company ON company.id = product.company_id
            JOIN product_product variant ON variant.id = product.product_id
            JOIN product_template template ON template.id = variant.product_tmpl_id
            LEFT JOIN installed
                   ON installed.company_id = product.company_id
                  AND installed.product_id = product.product_id
                  AND installed.month = forecast.month
            LEFT JOIN rate
                   ON rate.company_id = product.company_id
                  AND rate.product_id = product.product_id
            """,
            first=first,
            tz=tz,
            ahead=FORECAST_MONTHS,
            back=HISTORY_MONTHS,
        )
