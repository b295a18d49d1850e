import re

from .common import AftersalesCommon


class TestDocumentLayout(AftersalesCommon):
    """Every document of the add-on prints the company in its page body (the
    shared layout), so that it survives wkhtmltopdf builds that drop Odoo's
    separate header and footer."""

    def test_no_document_uses_the_header_layout(self):
        views = self.env["ir.ui.view"].search(
            [("type", "=", "qweb"), ("key", "=like", "aftersales_service.%")]
        )
        reports = self.env["ir.actions.report"].search([("model", "=like", "aftersales.%")])
        self.assertTrue(reports)
        for report in reports:
            with self.subTest(report=report.report_name):
                self.assertIn(report.report_name, views.mapped("key"))
        header_layout = views.filtered(lambda view: 't-call="web.external_layout"' in view.arch_db)
        self.assertFalse(header_layout.mapped("key"))

    def test_certificate_prints_company_seller_and_signatures(self):
        company = self.env.company
        company.write(
            {"street": "1 Coffee Road", "city": "Lisbon", "vat": "PT123456789", "phone": "+351 1"}
        )
        sale = self._deliver([(self.product_serial, 1)])
        warranty = sale.warranty_ids
        report = self.env.ref("aftersales_service.action_report_warranty_certificate")
        html = report._render_qweb_html(report.report_name, warranty.ids)[0].decode()
        self.assertNotIn('class="header', html)
        body = html[html.index('name="aftersales_company"') :]
        text = " ".join(re.sub(r"<[^>]+>", " ", body).split())
        for piece in (company.name, "1 Coffee Road", "Lisbon", "PT123456789", "+351 1"):
            self.assertIn(piece, text)
        self.assertLess(text.index("1 Coffee Road"), text.index("Warranty Certificate"))
        for piece in ("Seller", "Date of Sale 01/05/2026", warranty.lot_id.name, "Stamp"):
            self.assertIn(piece, text)
        self.assertEqual(text.count("Signature:"), 2)
