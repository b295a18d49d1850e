"""Customers rate the service from 1 to 5, with a comment, once their unit is
handed back: from the links in the hand-back email or from the order's portal
page, without logging in (Odoo's rating tokens). The score shows on the order,
per technician and in the service analysis; an order not handed back is never
rated."""

import re

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from .service_common import ServiceCommon

RATE_LINK = re.compile(r'href="[^"]*?(/rate/([0-9a-f]+)/([0-9]+))"')
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
INPUT = re.compile(r"<input[^>]*>")
VALUE = re.compile(r'value="([^"]*)"')


def checked_score(html):
    """The score checked in the rating form of ``html`` (None: none)."""
    for tag in INPUT.findall(html):
        if 'name="rate"' in tag and "checked" in tag:
            return int(VALUE.search(tag).group(1))
    return None


class RatingCommon(ServiceCommon):
    """Two of the customer's units handed back after repair by the clerk
    (their technician), and a third one still in the workshop."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._handed_back(cls.lot)
        second_sale = cls._deliver([(cls.product_serial, 1)])
        cls.other_order = cls._handed_back(second_sale.warranty_ids.lot_id)
        third_sale = cls._deliver([(cls.product_serial, 1)])
        cls.open_order = cls._new_order(lot=third_sale.warranty_ids.lot_id, user_id=cls.as_user.id)
        cls._receive(cls.open_order)

    @classmethod
    def _handed_back(cls, lot):
        order = cls._new_order(lot=lot, user_id=cls.as_user.id)
        cls._receive(order)
        cls._repair_with_part(order)
        order.action_return_to_customer()
        cls._validate(order._open_pickings("service_out"), cls.stock_user)
        assert order.state == "done"
        return order

    def _email_links(self, order):
        """[(path, token, score)] of the rating links in the hand-back email."""
        [email] = order.message_ids.filtered(lambda m: "is back with you" in (m.subject or ""))
        return RATE_LINK.findall(email.body)

    def _open(self, path, **kwargs):
        """Request ``path``; what the server wrote is read afresh afterwards."""
        response = self.url_open(path, **kwargs)
        self.env.invalidate_all()
        return response

    def _ratings(self, order):
        return self.env["rating.rating"].search(
            [("res_model", "=", order._name), ("res_id", "=", order.id)]
        )


@tagged("post_install", "-at_install")
class TestRatingLinks(RatingCommon, HttpCase):
    """The links and the pages, requested over HTTP by a visitor who is not
    logged in."""

    def test_email_offers_the_five_scores(self):
        links = self._email_links(self.order)
        self.assertEqual([int(score) for _path, _token, score in links], [1, 2, 3, 4, 5])
        self.assertEqual(len({token for _path, token, _score in links}), 1)
        rating = self._ratings(self.order)
        self.assertRecordValues(
            rating,
            [
                {
                    "access_token": links[0][1],
                    "partner_id": self.customer.id,
                    "rated_partner_id": self.as_user.partner_id.id,
                    "consumed": False,
                }
            ],
        )

    def test_public_link_records_the_score_and_the_comment(self):
        path = self._email_links(self.order)[3][0]  # 4 out of 5
        page = self._open(path)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Rate our Service", page.text)
        self.assertIn(self.order.name, page.text)
        self.assertEqual(checked_score(page.text), 4)
        rating = self._ratings(self.order)
        self.assertRecordValues(rating, [{"rating": 4.0, "consumed": True}])
        self.assertEqual(self.order.rating, 4.0)

        token = rating.access_token
        response = self._open(
            f"/rate/{token}/submit_feedback",
            data={
                "csrf_token": CSRF.search(page.text).group(1),
                "rate": "5",
                "feedback": "Fast and friendly",
            },
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        self.assertIn(
            f"/my/service_orders/{self.order.id}?access_token=", response.headers["Location"]
        )
        self.assertIn("rated=1", response.headers["Location"])
        thanks = self._open(response.headers["Location"])
        self.assertIn("Thank you for your rating", thanks.text)

        self.assertRecordValues(
            self._ratings(self.order),
            [{"rating": 5.0, "feedback": "Fast and friendly", "consumed": True}],
        )
        self.assertEqual(self.order.rating, 5.0)
        self.assertEqual(self.order.rating_count, 1)
        self.assertIn(
            "Fast and friendly",
            self.order.message_ids.filtered("rating_id")[:1].body,
        )
        # The customer's other order is not touched.
        self.assertEqual(self.other_order.rating, 0.0)
        self.assertFalse(self._ratings(self.other_order).filtered("consumed"))

    def test_portal_page_offers_the_rating(self):
        page = self._open(self.order.get_portal_url())
        self.assertEqual(page.status_code, 200)
        self.assertIn("Rate our Service", page.text)
        token = self._ratings(self.order).access_token
        self.assertIn(f'action="/rate/{token}/submit_feedback"', page.text)

        # A rated order offers its score and comment to change.
        self.order.rating_apply(3, token=token, feedback="Slow")
        page = self._open(self.order.get_portal_url())
        self.assertIn(f'action="/rate/{token}/submit_feedback"', page.text)
        self.assertEqual(checked_score(page.text), 3)
        self.assertIn("Slow", page.text)
        self.assertEqual(len(self._ratings(self.order)), 1)

    def test_orders_not_handed_back_are_not_rated(self):
        with self.assertRaisesText(UserError, "Only a service order handed back"):
            self.open_order._rating_get_access_token()
        page = self._open(self.open_order.get_portal_url())
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("Rate our Service", page.text)
        self.assertNotIn("/rate/", page.text)
        self.assertFalse(self._ratings(self.open_order))

        # A token made for it anyway (it bypasses the order) is refused.
        rating = self.env["rating.rating"].create(
            {
                "res_model_id": self.env["ir.model"]._get_id(self.open_order._name),
                "res_id": self.open_order.id,
                "partner_id": self.customer.id,
            }
        )
        response = self._open(f"/rate/{rating.access_token}/5")
        self.assertEqual(response.status_code, 403)
        self.assertIn("not finished yet", response.text)
        self.assertFalse(rating.consumed)
        with self.assertRaisesText(UserError, "Only a service order handed back"):
            self.open_order.rating_apply(5, rating=rating)
        with self.assertRaisesText(UserError, "Only a service order handed back"):
            self.open_order.message_post(body="Great", rating_value=5)
        self.assertFalse(rating.consumed)
        self.assertEqual(self.open_order.rating_count, 0)

    def test_scores_outside_one_to_five_are_refused(self):
        token = self._email_links(self.order)[0][1]
        for score in (0, 6):
            response = self._open(f"/rate/{token}/{score}")
            self.assertEqual(response.status_code, 400)
        with self.assertRaisesText(UserError, "rated from 1 to 5, not 2.5"):
            self.order.rating_apply(2.5, token=token)
        self.assertFalse(self._ratings(self.order).consumed)

    def test_another_customer_logged_in_cannot_rate(self):
        stranger = self.env["res.partner"].create({"name": "Bob Stranger"})
        self._new_portal_user("bob_rates", stranger)
        self.authenticate("bob_rates", "bob_rates")
        response = self._open(self._email_links(self.order)[4][0])
        self.assertEqual(response.status_code, 403)
        self.assertIn("You cannot rate this", response.text)
        self.assertFalse(self._ratings(self.order).consumed)


class TestRatingStatistics(RatingCommon):
    """The scores on the order's form, per technician and in the analysis."""

    def test_order_and_analysis(self):
        token = self._email_links(self.order)[0][1]
        self.order.rating_apply(4, token=token, feedback="Good")
        self.assertEqual(self.order.with_user(self.as_user).rating, 4.0)
        self.assertEqual(self.order.rating_count, 1)
        action = self.order.with_user(self.as_user).action_view_ratings()
        self.assertEqual(self.env[action["res_model"]].search(action["domain"]).rating, 4.0)

        Report = self.env["aftersales.service.report"].with_user(self.as_manager)
        rows = Report.search([("service_order_id", "in", (self.order | self.other_order).ids)])
        self.assertEqual(
            {row.service_order_id: row.rating for row in rows},
            {self.order: 4.0, self.other_order: 0.0},
        )
        # Per technician: the average of the rated orders (the unrated one is left out).
        groups = Report._read_group(
            [("user_id", "=", self.as_user.id)], ["user_id"], ["rating:avg", "__count"]
        )
        self.assertEqual(groups, [(self.as_user, 4.0, 3)])
        other_token = self.other_order._rating_get_access_token()
        self.other_order.rating_apply(1, token=other_token)
        groups = Report._read_group(
            [("user_id", "=", self.as_user.id)], ["user_id"], ["rating:avg"]
        )
        self.assertEqual(groups, [(self.as_user, 2.5)])
        ratings = self.env["rating.rating"]._read_group(
            [("res_model", "=", self.order._name), ("consumed", "=", True)],
            ["rated_partner_id"],
            ["rating:avg"],
        )
        self.assertEqual(ratings, [(self.as_user.partner_id, 2.5)])
