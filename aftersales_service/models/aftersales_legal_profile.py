from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# The demands of a consumer claim, with the profile field giving its deadline.
DEMANDS = [
    ("repair", "Repair"),
    ("replacement", "Replacement"),
    ("refund", "Refund"),
    ("price_reduction", "Price Reduction"),
    ("compensation", "Compensation of Repair Costs"),
]
DEMAND_DAYS = {
    "repair": "repair_days",
    "replacement": "response_days_replacement",
    "refund": "response_days_refund",
    "price_reduction": "response_days_price_reduction",
    "compensation": "response_days_compensation",
}
# Every value the law sets, each with its legal basis (field name + "_basis").
LEGAL_VALUES = (
    *DEMAND_DAYS.values(),
    "loaner_days",
    "claim_window_months",
    "legal_warranty_months",
    "extend_by_repair_days",
    "post_repair_warranty_months",
    "penalty_percent_per_day",
)


def _basis(string):
    return fields.Text(
        string=f"{string} (Legal Basis)",
        translate=True,
        help="The article of the law that sets this value, cited in the answer letters.",
    )


class AftersalesLegalProfile(models.Model):
    """What the consumer law of a country sets for after-sales: the deadlines of
    each demand, the penalty for a late answer, the legal guarantee and how a
    repair extends the warranty. Presets for Russia, Ukraine, Portugal, Brazil
    and the EU ship as data, editable; the company chooses its own."""

    _name = "aftersales.legal.profile"
    _description = "Consumer Law Profile"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True, help="ru, ua, pt, br, eu for the presets, or a code of your own."
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    law = fields.Char(translate=True, help="The law these values come from, as cited in letters.")
    repair_days = fields.Integer(
        string="Repair (days)", help="Days to repair a unit under warranty, from the demand."
    )
    repair_days_basis = _basis("Repair")
    response_days_replacement = fields.Integer(
        string="Replacement (days)", help="Days to replace the unit, from the demand."
    )
    response_days_replacement_basis = _basis("Replacement")
    response_days_refund = fields.Integer(
        string="Refund (days)", help="Days to refund the price, from the demand."
    )
    response_days_refund_basis = _basis("Refund")
    response_days_price_reduction = fields.Integer(
        string="Price Reduction (days)", help="Days to reduce the price, from the demand."
    )
    response_days_price_reduction_basis = _basis("Price Reduction")
    response_days_compensation = fields.Integer(
        string="Compensation (days)",
        help="Days to compensate the repair costs the consumer paid, from the demand.",
    )
    response_days_compensation_basis = _basis("Compensation")
    loaner_days = fields.Integer(
        string="Loaner (days)",
        help="Days from the demand by which a substitute unit is due during a warranty "
        "repair of durable goods; 0 when the law grants none.",
    )
    loaner_days_basis = _basis("Loaner")
    claim_window_months = fields.Integer(
        string="Claim Window (months)",
        help="Months after the handover within which a consumer may claim when the product "
        "has no warranty.",
    )
    claim_window_months_basis = _basis("Claim Window")
    legal_warranty_months = fields.Integer(
        string="Legal Guarantee (months)",
        help="The guarantee every unit has by law, even when its product has no warranty "
        "terms; 0 when the law sets none.",
    )
    legal_warranty_months_basis = _basis("Legal Guarantee")
    extend_by_repair_days = fields.Boolean(
        string="Extend by Repair Days",
        help="The warranty is extended by the days the unit spent in warranty repair.",
    )
    extend_by_repair_days_basis = _basis("Extension by Repair Days")
    post_repair_warranty_months = fields.Integer(
        string="Guarantee after Repair (months)",
        help="Months of guarantee a unit gains each time it is repaired under warranty; "
        "0 when the law grants nothing extra.",
    )
    post_repair_warranty_months_basis = _basis("Guarantee after Repair")
    penalty_percent_per_day = fields.Float(
        string="Penalty (% per day)",
        digits=(5, 2),
        help="Percentage of the unit's price owed for each day a claim is answered late.",
    )
    penalty_percent_per_day_basis = _basis("Penalty")
    company_ids = fields.One2many("res.company", "aftersales_legal_profile_id", string="Companies")

    _sql_constraints = [
        ("code_uniq", "UNIQUE(code)", "The code of a consumer law profile must be unique."),
        (
            "values_positive",
            "CHECK(repair_days >= 0 AND response_days_replacement >= 0 "
            "AND response_days_refund >= 0 AND response_days_price_reduction >= 0 "
            "AND response_days_compensation >= 0 AND loaner_days >= 0 "
            "AND claim_window_months >= 0 AND legal_warranty_months >= 0 "
            "AND post_repair_warranty_months >= 0 AND penalty_percent_per_day >= 0)",
            "The days, months and penalty of a consumer law profile cannot be negative.",
        ),
    ]

    @api.constrains("penalty_percent_per_day")
    def _check_penalty(self):
        for profile in self:
            if profile.penalty_percent_per_day > 100:
                raise ValidationError(
                    self.env._(
                        "The penalty of %s cannot exceed 100%% of the price per day.",
                        profile.name,
                    )
                )

    def _deadline(self, demand, day):
        """The day by which ``demand`` made on ``day`` must be met under this law."""
        self.ensure_one()
        return day + relativedelta(days=self[DEMAND_DAYS[demand]])

    def _basis_of(self, demand):
        """The legal basis of the deadline of ``demand``, as the letters cite it."""
        self.ensure_one()
        return self[f"{DEMAND_DAYS[demand]}_basis"] or ""
