from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    aftersales_legal_warranty_months = fields.Integer(
        string="Legal Warranty (months)",
        help="A unit sold with a warranty is never covered for less than this.",
    )
    aftersales_legal_profile_id = fields.Many2one(
        "aftersales.legal.profile",
        string="Consumer Law",
        help="The consumer law the company sells under: the deadlines of consumer claims, "
        "the penalty for a late answer, the legal guarantee, the extension of warranties "
        "by repair days and the loaner due date.",
    )
    # The customer emails of each step (aftersales.notify.mixin), on unless switched off.
    aftersales_mail_service_received = fields.Boolean(
        string="Email: Goods Received", default=True, help="With the acceptance act."
    )
    aftersales_mail_service_quotation = fields.Boolean(
        string="Email: Quotation to Approve",
        default=True,
        help="When a paid service is quoted, with the link to approve it.",
    )
    aftersales_mail_service_ready = fields.Boolean(string="Email: Ready for Pick-up", default=True)
    aftersales_mail_service_done = fields.Boolean(
        string="Email: Handed Back", default=True, help="With the completion act."
    )
    aftersales_mail_loan_due = fields.Boolean(
        string="Email: Loaner Due Back", default=True, help="The day before the due date."
    )
    aftersales_mail_loan_overdue = fields.Boolean(string="Email: Loaner Overdue", default=True)
    aftersales_warranty_reminder_days = fields.Integer(
        string="Warranty Expiry Reminder (days)",
        default=30,
        help="Customers are emailed this many days before a warranty expires "
        "(0 disables the reminder).",
    )
    aftersales_service_days = fields.Integer(
        string="Service Deadline (days)",
        default=45,
        help="Days to complete a service order once the goods are received.",
    )
    aftersales_claim_response_days = fields.Integer(
        string="Claim Response Deadline (days)",
        default=10,
        help="Days a vendor has to answer a supplier claim once it is sent.",
    )
    aftersales_loan_days = fields.Integer(
        string="Loan Duration (days)",
        default=14,
        help="Days a loaner device is lent for, unless another due date is set on the loan.",
    )
    aftersales_defect_rate_threshold = fields.Float(
        string="Defect Rate Threshold (%)",
        default=5.0,
        help="A quality alert is raised when the defects of a product reach this "
        "percentage of its units delivered in the window.",
    )
    aftersales_defect_min_units = fields.Integer(
        string="Defect Rate Minimum Units",
        default=20,
        help="Products with fewer units delivered in the window raise no quality "
        "alert: too few to tell.",
    )
    aftersales_defect_window_months = fields.Integer(
        string="Defect Rate Window (months)",
        default=12,
        help="The defect rate counts the units delivered and the defects found over "
        "these last months.",
    )
    aftersales_manager_id = fields.Many2one(
        "res.users",
        string="After-Sales Manager",
        domain="[('share', '=', False)]",
        help="Responsible of the consumer claims that come from the portal or by email, "
        "and receives their deadline activities.",
    )
    aftersales_production_user_id = fields.Many2one(
        "res.users",
        string="Production Responsible",
        domain="[('share', '=', False)]",
        help="Receives the quality alerts: the products whose defect rate reached the "
        "threshold, and the after-sales proposals to production.",
    )

    aftersales_diagnosis_product_id = fields.Many2one(
        "product.product",
        string="Diagnosis Product",
        check_company=True,
        domain="[('type', '=', 'service')]",
        help="Invoiced once on the quotation of a paid service order.",
    )
    aftersales_labour_product_id = fields.Many2one(
        "product.product",
        string="Labour Product",
        check_company=True,
        domain="[('type', '=', 'service')]",
        help="Invoiced per hour of work on the quotation of a paid service order.",
    )
    aftersales_labour_cost = fields.Monetary(
        string="Labour Cost per Hour",
        currency_field="currency_id",
        help="What an hour of a technician costs the company (service order costs).",
    )
    aftersales_cost_tolerance = fields.Float(
        string="Cost Tolerance over Norm (%)",
        default=10.0,
        help="A repair that ends costing more than its norm by over this percentage gives "
        "the after-sales manager an activity.",
    )

    _sql_constraints = [
        (
            "aftersales_days_positive",
            "CHECK(aftersales_legal_warranty_months >= 0 "
            "AND aftersales_warranty_reminder_days >= 0 "
            "AND aftersales_service_days >= 0 "
            "AND aftersales_claim_response_days >= 0 "
            "AND aftersales_loan_days >= 0 "
            "AND aftersales_defect_min_units >= 0 "
            "AND aftersales_defect_window_months >= 0 "
            "AND aftersales_defect_rate_threshold >= 0 "
            "AND aftersales_labour_cost >= 0 "
            "AND aftersales_cost_tolerance >= 0)",
            "After-sales durations, counts and thresholds cannot be negative.",
        ),
    ]
