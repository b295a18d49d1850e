from odoo import fields, models, tools


class AftersalesLoanerReport(models.Model):
    """How much each loaner is lent: days lent over days in service, computed
    when the report is read (open loans count up to now)."""

    _name = "aftersales.loaner.report"
    _description = "Loaner Utilisation"
    _auto = False
    _order = "utilisation desc"

    loaner_id = fields.Many2one("aftersales.loaner", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    categ_id = fields.Many2one("product.category", string="Category", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    state = fields.Selection(
        [
            ("available", "Available"),
            ("lent", "Lent"),
            ("maintenance", "Maintenance"),
            ("retired", "Retired"),
        ],
        readonly=True,
    )
    loan_count = fields.Integer(string="Loans", readonly=True)
    days_in_service = fields.Float(readonly=True, aggregator="sum")
    days_lent = fields.Float(readonly=True, aggregator="sum")
    utilisation = fields.Float(string="Utilisation (%)", readonly=True, aggregator="avg")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            f"""
            CREATE OR REPLACE VIEW {self._table} AS (
                WITH usage AS (
                    SELECT
                        loaner.id AS loaner_id,
                        GREATEST(EXTRACT(EPOCH FROM (now() - loaner.create_date)) / 86400, 1)
                            AS days_in_service,
                        COALESCE(SUM(EXTRACT(EPOCH FROM (
                            COALESCE(loan.date_returned, now()) - loan.date_out
                        )) / 86400) FILTER (WHERE loan.date_out IS NOT NULL), 0) AS days_lent,
                        COUNT(loan.id) AS loan_count
                    FROM aftersales_loaner loaner
                    LEFT JOIN aftersales_loan loan ON loan.loaner_id = loaner.id
                    GROUP BY loaner.id
                )
                SELECT
                    loaner.id AS id,
                    loaner.id AS loaner_id,
                    loaner.product_id,
                    loaner.categ_id,
                    loaner.company_id,
                    loaner.state,
                    usage.loan_count,
                    usage.days_in_service,
                    usage.days_lent,
                    100 * usage.days_lent / usage.days_in_service AS utilisation
                FROM aftersales_loaner loaner
                JOIN usage ON usage.loaner_id = loaner.id
            )
            """
        )
