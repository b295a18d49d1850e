import functools
import json
from unittest.mock import patch

from freezegun import freeze_time
from lxml import html as lxml_html

from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user

from .network_common import NetworkCommon

# Terms of the agreements that must never reach the public page.
SECRET_RATE = 47.35
SECRET_MARKUP = 13.7
SECRET_TEXT = "Confidential terms: rebate of 3 percent"


def _card(document, name):
    """The card of the service point ``name`` on the page."""
    return document.xpath(f"//*[@name='service_point'][.//h3[text()='{name}']]")[0]


class TestServicePointsPage(NetworkCommon, HttpCase):
    """The public page of the service points (/service-points): anyone sees
    the dealers and service centres of the company's agreements in force, by
    country, filtered by country and product category; nothing of the
    agreements themselves, nor the workshops, the agreements not in force, or
    another company's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.agreement.write(
            {
                "labour_rate": SECRET_RATE,
                "parts_markup": SECRET_MARKUP,
                "agreement_text": f"<p>{SECRET_TEXT}</p>",
            }
        )
        cls.dealer.email = "lisbon@example.com"
        cls.categ_grinders = cls.env["product.category"].create(
            {"name": "Grinders", "parent_id": cls.env.ref("product.product_category_all").id}
        )
        cls.centre = Partner.create(
            {
                "name": "Porto Service Centre",
                "street": "5 Rua de Santa Catarina",
                "city": "Porto",
                "country_id": cls.portugal.id,
                "phone": "+351 22 000 2222",
                "email": "porto@example.com",
            }
        )
        cls.madrid = Partner.create(
            {"name": "Madrid Dealer", "city": "Madrid", "phone": "+34 91 000 3333"}
        )
        cls.seville = Partner.create({"name": "Seville Grinder Dealer", "city": "Sevilla"})
        spain_only = {"country_ids": [(6, 0, cls.spain.ids)]}
        active = (
            cls._new_agreement(
                cls.centre,
                role="service_centre",
                country_ids=[(5,)],
                product_categ_ids=[(5,)],
                labour_rate=SECRET_RATE,
            )
            | cls._new_agreement(cls.madrid, **spain_only)
            # Only in the province of Seville, only for the grinders.
            | cls._new_agreement(
                cls.seville,
                country_ids=[(5,)],
                state_ids=[(6, 0, cls.env.ref("base.state_es_se").ids)],
                product_categ_ids=[(6, 0, cls.categ_grinders.ids)],
            )
            | cls._new_agreement(cls.workshop, role="workshop", country_ids=[(5,)])
        )
        active.action_activate()
        # Not in force: a draft, an expired, a terminated and a future agreement.
        cls._new_agreement(Partner.create({"name": "Unsigned Dealer"}))
        expired = cls._new_agreement(
            Partner.create({"name": "Expired Dealer"}), date_end="2026-01-31"
        )
        terminated = cls._new_agreement(Partner.create({"name": "Terminated Dealer"}))
        future = cls._new_agreement(
            Partner.create({"name": "Future Dealer"}), date_start="2026-03-01"
        )
        (expired | terminated | future).action_activate()
        terminated.action_terminate("The dealer closed its shop.")
        with freeze_time("2026-02-02"):
            cls.Agreement._cron_expire_and_remind()
        # Another company's dealer, in Portugal too.
        cls.company2 = cls.env["res.company"].create({"name": "Second Service Co"})
        other = cls.env["aftersales.service.agreement"].create(
            {
                "partner_id": Partner.create({"name": "Other Company Dealer"}).id,
                "company_id": cls.company2.id,
                "date_start": "2025-06-01",
                "country_ids": [(6, 0, cls.portugal.ids)],
            }
        )
        other.action_activate()
        cls.portal_user = new_test_user(
            cls.env,
            login="points_portal",
            password="points_portal_pw",
            groups="base.group_portal",
            partner_id=cls.customer.id,
        )

    def _page(self, query=""):
        """The page as a visitor (not logged in): {country heading: [point names]}."""
        response = self.url_open(f"/service-points{query}")
        self.assertEqual(response.status_code, 200)
        document = lxml_html.fromstring(response.text)
        return response.text, {
            section.findtext("h2").strip(): [
                name.strip() for name in section.xpath(".//*[@name='service_point']//h3/text()")
            ]
            for section in document.xpath("//section[@name='service_point_country']")
        }

    def test_visitor_sees_the_points_by_country(self):
        html, groups = self._page()
        self.assertEqual(
            groups,
            {
                "Portugal": ["Lisbon Coffee Dealer"],
                "Spain": ["Madrid Dealer", "Seville Grinder Dealer"],
                "All Countries": ["Porto Service Centre"],
            },
        )
        document = lxml_html.fromstring(html)
        lisbon = _card(document, "Lisbon Coffee Dealer")
        text = " ".join(lisbon.text_content().split())
        for piece in ("Dealer", "12 Avenida da Liberdade", "Lisbon", "Espresso Machines"):
            self.assertIn(piece, text)
        links = lisbon.xpath(".//a/@href")
        self.assertEqual(links, ["tel:+351210001111", "mailto:lisbon@example.com"])
        centre = _card(document, "Porto Service Centre")
        self.assertIn("Authorised Service Centre", centre.text_content())
        self.assertIn("All products", centre.text_content())
        seville = _card(document, "Seville Grinder Dealer")
        self.assertIn("Only in Sevilla", " ".join(seville.text_content().split()))
        # The filters offer the countries and the categories of the agreements in force.
        self.assertEqual(
            document.xpath("//select[@name='country']/option/text()"),
            ["All countries", "Portugal", "Spain"],
        )
        self.assertEqual(
            document.xpath("//select[@name='category']/option/text()"),
            ["All products", "All / Espresso Machines", "All / Grinders"],
        )

    def test_the_page_shows_nothing_of_the_agreements(self):
        html, _groups = self._page()
        for secret in (
            "47.35",
            "47,35",
            "13.7",
            "13,7",
            SECRET_TEXT,
            self.agreement.name,
            "Labour",
            "Markup",
            "Coffee Tech Workshop",
            "Unsigned Dealer",
            "Expired Dealer",
            "Terminated Dealer",
            "Future Dealer",
            "Other Company Dealer",
        ):
            self.assertNotIn(secret, html)

    def test_filters_by_country_and_category(self):
        _html, groups = self._page(f"?country={self.spain.id}")
        self.assertEqual(
            groups,
            {
                "Spain": ["Madrid Dealer", "Seville Grinder Dealer"],
                "All Countries": ["Porto Service Centre"],
            },
        )
        html, groups = self._page(f"?country=&category={self.categ_grinders.id}")
        self.assertEqual(
            groups,
            {"Spain": ["Seville Grinder Dealer"], "All Countries": ["Porto Service Centre"]},
        )
        selected = lxml_html.fromstring(html).xpath("//option[@selected]/text()")
        self.assertEqual(selected, ["All / Grinders"])
        # A parent category finds the points of its subcategories.
        _html, groups = self._page(f"?category={self.env.ref('product.product_category_all').id}")
        self.assertEqual(len(groups), 3)
        html, groups = self._page(f"?country={self.portugal.id}&category={self.categ_grinders.id}")
        self.assertEqual(groups, {"All Countries": ["Porto Service Centre"]})
        # A country no one serves in particular: the points of every country, and the choice kept.
        html, groups = self._page(f"?country={self.env.ref('base.fr').id}")
        self.assertEqual(groups, {"All Countries": ["Porto Service Centre"]})
        self.assertEqual(lxml_html.fromstring(html).xpath("//option[@selected]/text()"), ["France"])

    def test_bad_filters_are_not_found(self):
        for query in ("?country=abc", "?country=-1", "?category=99999999", "?country=99999999999"):
            self.assertEqual(self.url_open(f"/service-points{query}").status_code, 404, query)

    def test_served_read_only_to_a_visitor(self):
        Agreement = type(self.env["aftersales.service.agreement"])
        method = Agreement._public_service_points
        calls = []

        @functools.wraps(method)  # keeps @api.model and @api.readonly
        def spy(model, *args, **kwargs):
            calls.append((model.env.user, model.env.cr.readonly, model.env.su))
            return method(model, *args, **kwargs)

        with (
            patch.object(Agreement, "_public_service_points", spy),
            self.assertNoLogs("odoo.http", "WARNING"),
        ):
            self._page()
        self.assertEqual(calls, [(self.env.ref("base.public_user"), True, False)])

    def test_the_method_returns_plain_data_of_the_company(self):
        Agreement = self.env["aftersales.service.agreement"].with_user(
            self.env.ref("base.public_user")
        )
        data = Agreement._public_service_points(self.portugal.id)
        self.assertEqual(json.loads(json.dumps(data)), data)
        self.assertEqual(
            data["groups"][0],
            {
                "country_id": self.portugal.id,
                "name": "Portugal",
                "points": [
                    {
                        "partner_id": self.dealer.id,
                        "name": "Lisbon Coffee Dealer",
                        "roles": ["Dealer"],
                        "address": ["12 Avenida da Liberdade", "Lisbon", "Portugal"],
                        "phone": "+351 21 000 1111",
                        "phone_uri": "+351210001111",
                        "email": "lisbon@example.com",
                        "categories": ["All / Espresso Machines"],
                        "regions": [],
                    }
                ],
            },
        )
        self.assertEqual([group["name"] for group in data["groups"]], ["Portugal", "All Countries"])
        other = self.env["aftersales.service.agreement"].with_company(self.company2)
        data = other._public_service_points()
        names = [p["name"] for group in data["groups"] for p in group["points"]]
        self.assertEqual(names, ["Other Company Dealer"])
        with self.assertRaisesText(UserError, "The country: there is no res.country 999999"):
            Agreement._public_service_points(999999)
        with self.assertRaisesText(UserError, "The product category must be given as the id"):
            Agreement._public_service_points(None, "grinders")

    def test_query_count_does_not_grow_with_the_agreements(self):
        Agreement = self.env["aftersales.service.agreement"].with_user(
            self.env.ref("base.public_user")
        )
        Agreement._public_service_points()  # warms the caches of the registry up
        self.env.invalidate_all()
        with self.assertQueryCount(10):
            Agreement._public_service_points()
        partners = self.env["res.partner"].create(
            [
                {"name": f"Dealer {i}", "country_id": country.id, "phone": f"+1 555 {i}"}
                for i, country in enumerate(self.env["res.country"].search([], limit=6))
            ]
        )
        more = self.Agreement.browse()
        for partner in partners:
            more |= self._new_agreement(
                partner,
                country_ids=[(6, 0, partner.country_id.ids)],
                state_ids=[(6, 0, partner.country_id.state_ids[:1].ids)],
                product_categ_ids=[(6, 0, (self.categ_machines | self.categ_grinders).ids)],
            )
        more.action_activate()
        self.env.invalidate_all()
        with self.assertQueryCount(10):
            data = Agreement._public_service_points()
        self.assertEqual(sum(len(group["points"]) for group in data["groups"]), 4 + 6)

    def test_links_from_the_portal(self):
        self.authenticate("points_portal", "points_portal_pw")
        home = lxml_html.fromstring(self.url_open("/my").text)
        self.assertTrue(home.xpath("//a[@href='/service-points']"))
        page = lxml_html.fromstring(self.url_open(f"/my/warranties/{self.warranty.id}").text)
        self.assertEqual(
            page.xpath("//a[@name='all_service_points']/@href"),
            [f"/service-points?country={self.portugal.id}&category={self.categ_machines.id}"],
        )
