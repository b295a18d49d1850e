from .common import AftersalesCommon


class TestWarrantyCertificate(AftersalesCommon):
    def test_certificate_renders_serial_and_dates(self):
        order = self._deliver([(self.product_serial, 2)])
        warranties = order.warranty_ids
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "aftersales_service.action_report_warranty_certificate", warranties.ids
            )[0]
            .decode()
        )
        for warranty in warranties:
            self.assertIn(warranty.lot_id.name, html)
            self.assertIn(warranty.name, html)
        lang = self.env["res.lang"]._lang_get(self.env.user.lang)
        for day in (warranties[0].date_start, warranties[0].date_end):
            self.assertIn(day.strftime(lang.date_format), html)
        self.assertIn("Parts and labour covered.", html)
        self.assertIn("Alice Customer", html)

    def test_printed_from_the_order_and_the_serial(self):
        self.env.company.external_report_layout_id = self.env.ref("web.external_layout_standard")
        order = self._deliver([(self.product_serial, 2)])
        action = order.action_print_warranty_certificates()
        self.assertEqual(action["report_name"], "aftersales_service.report_warranty_certificate")
        self.assertEqual(sorted(action["context"]["active_ids"]), sorted(order.warranty_ids.ids))
        lot = order.warranty_ids[0].lot_id
        action = lot.action_print_warranty_certificate()
        self.assertEqual(action["context"]["active_ids"], lot.warranty_ids.ids)
