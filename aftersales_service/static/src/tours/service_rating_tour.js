/** @odoo-module **/

import { registry } from "@web/core/registry";

// The customer opens the "5" link of the hand-back email (the Python test
// starts the tour there), then gives 4 with a comment.
registry.category("web_tour.tours").add("aftersales_service_rating_tour", {
    steps: () => [
        {
            content: "The score clicked in the email is recorded and offered to change",
            trigger: ".o_aftersales_rating_page input[name=rate][value='5']:checked",
        },
        {
            content: "Give 4 out of 5 instead",
            trigger: "label[for=aftersales_rate_4]",
            run: "click",
        },
        {
            content: "Add a comment",
            trigger: "textarea[name=feedback]",
            run: "edit Repaired fast, but nobody called me back",
        },
        {
            content: "Send the rating",
            trigger: ".o_aftersales_rating_form button[type=submit]",
            run: "click",
        },
        {
            content: "Thanked on the order's page",
            trigger: '.alert-success[role=status]:contains("Thank you for your rating")',
        },
        {
            content: "The order's page keeps the score",
            trigger: ".o_aftersales_rating input[name=rate][value='4']:checked",
        },
    ],
});
