from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    aftersales_legal_warranty_months = fields.Integer(
        related="company_id.aftersales_legal_warranty_months", readonly=False
    )
    aftersales_legal_profile_id = fields.Many2one(
        related="company_id.aftersales_legal_profile_id", readonly=False
    )
    aftersales_manager_id = fields.Many2one(
        related="company_id.aftersales_manager_id", readonly=False
    )
    aftersales_mail_service_received = fields.Boolean(
        related="company_id.aftersales_mail_service_received", readonly=False
    )
    aftersales_mail_service_quotation = fields.Boolean(
        related="company_id.aftersales_mail_service_quotation", readonly=False
    )
    aftersales_mail_service_ready = fields.Boolean(
        related="company_id.aftersales_mail_service_ready", readonly=False
    )
    aftersales_mail_service_done = fields.Boolean(
        related="company_id.aftersales_mail_service_done", readonly=False
    )
    aftersales_mail_loan_due = fields.Boolean(
        related="company_id.aftersales_mail_loan_due", readonly=False
    )
    aftersales_mail_loan_overdue = fields.Boolean(
        related="company_id.aftersales_mail_loan_overdue", readonly=False
    )
    aftersales_warranty_reminder_days = fields.Integer(
        related="company_id.aftersales_warranty_reminder_days", readonly=False
    )
    aftersales_service_days = fields.Integer(
        related="company_id.aftersales_service_days", readonly=False
    )
    aftersales_claim_response_days = fields.Integer(
        related="company_id.aftersales_claim_response_days", readonly=False
    )
    aftersales_loan_days = fields.Integer(related="company_id.aftersales_loan_days", readonly=False)
    aftersales_defect_rate_threshold = fields.Float(
        related="company_id.aftersales_defect_rate_threshold", readonly=False
    )
    aftersales_defect_min_units = fields.Integer(
        related="company_id.aftersales_defect_min_units", readonly=False
    )
    aftersales_defect_window_months = fields.Integer(
        related="company_id.aftersales_defect_window_months", readonly=False
    )
    aftersales_production_user_id = fields.Many2one(
        related="company_id.aftersales_production_user_id", readonly=False
    )
    aftersales_diagnosis_product_id = fields.Many2one(
        related="company_id.aftersales_diagnosis_product_id", readonly=False
    )
    aftersales_labour_product_id = fields.Many2one(
        related="company_id.aftersales_labour_product_id", readonly=False
    )
    aftersales_labour_cost = fields.Monetary(
        related="company_id.aftersales_labour_cost", readonly=False
    )
    aftersales_cost_tolerance = fields.Float(
        related="company_id.aftersales_cost_tolerance", readonly=False
    )
