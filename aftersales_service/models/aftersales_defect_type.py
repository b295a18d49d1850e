from odoo import api, fields, models

CATEGORIES = [
    ("manufacturing", "Manufacturing"),
    ("design", "Design"),
    ("component", "Component"),
    ("transport", "Transport"),
    ("installation", "Installation"),
    ("misuse", "Misuse"),
    ("wear", "Wear"),
]


class AftersalesDefectType(models.Model):
    """The catalogue of the faults the technicians record, kept by the
    after-sales managers: a short code per company, what it means, and the
    category of cause it usually has."""

    _name = "aftersales.defect.type"
    _description = "Defect Type"
    _order = "code, id"
    _rec_names_search = ["code", "name"]

    code = fields.Char(required=True, index=True)
    name = fields.Char(string="Description", required=True, translate=True)
    category = fields.Selection(
        CATEGORIES,
        required=True,
        default="manufacturing",
        help="The usual cause of this fault; each defect starts from it and may differ.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        (
            "code_company_uniq",
            "UNIQUE(code, company_id)",
            "A defect type with this code already exists in this company.",
        ),
    ]

    @api.depends("code", "name")
    def _compute_display_name(self):
        for defect_type in self:
            defect_type.display_name = (
                f"[{defect_type.code}] {defect_type.name}"
                if defect_type.code
                else defect_type.name or ""
            )

    @api.model_create_multi
    def create(self, vals_list):
        """Codes are kept without surrounding blanks, so the uniqueness holds."""
        for vals in vals_list:
            if vals.get("code"):
                vals["code"] = vals["code"].strip()
        return super().create(vals_list)

    def write(self, vals):
        """Codes are kept without surrounding blanks, so the uniqueness holds."""
        if vals.get("code"):
            vals = dict(vals, code=vals["code"].strip())
        return super().write(vals)
