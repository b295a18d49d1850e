from odoo import models


class AftersalesNotifyMixin(models.AbstractModel):
    """The emails that tell the customer where their unit is: one template per
    step (``mail_template_<step>``), posted in the document's chatter from the
    company's address, unless the company switched that step's email off
    (``res.company.aftersales_mail_<step>``)."""

    _name = "aftersales.notify.mixin"
    _description = "After-Sales Customer Emails"

    def _notify_customer(self, step):
        """Email each document's customer the template of ``step``. Nothing is
        sent while modules are being installed or updated (demo data, upgrades):
        the documents made then are no news to their customers."""
        if not self.env.registry.ready:
            return self.browse()
        template = self.env.ref(f"aftersales_service.mail_template_{step}")
        notified = self.filtered(
            lambda record: record.company_id[f"aftersales_mail_{step}"] and record.partner_id.email
        )
        for record in notified:
            record.with_company(record.company_id).message_post_with_source(
                template, message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        return notified
