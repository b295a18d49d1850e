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
