/** @odoo-module **/

import { registry } from "@web/core/registry";

// The serial of the customer's unit the Python test sets up.
const SERIAL = "TOUR-SN-PORTAL";

registry.category("web_tour.tours").add("aftersales_portal_claim_tour", {
    url: "/my",
    steps: () => [
        {
            content: "Open the warranties from the portal's home",
            trigger: 'a[href="/my/warranties"]:contains("Your Warranties")',
            run: "click",
        },
        {
            content: "Open the warranty of the unit",
            trigger: `.o_portal_my_doc_table tr:contains("${SERIAL}") a`,
            run: "click",
        },
        {
            content: "File a claim about the unit",
            trigger: '.card-header a[href^="/my/claims/new?lot_id="]',
            run: "click",
        },
        {
            content: "The unit of the warranty is chosen",
            trigger: `select[name=lot_id]:has(option:selected:contains("${SERIAL}"))`,
        },
        {
            content: "Demand a replacement",
            trigger: "select[name=demand]",
            run: "select replacement",
        },
        {
            content: "Describe the defect",
            trigger: "textarea[name=description]",
            run: "edit It stopped heating after two weeks",
        },
        {
            content: "File the claim",
            trigger: ".o_aftersales_claim_form button[type=submit]",
            run: "click",
        },
        {
            content: "The claim is received, with the date of the answer",
            trigger: '.alert-success[role=status]:contains("Your claim is received")',
        },
        {
            content: "The claim states the demand",
            trigger: ".card-body dd:contains(Replacement)",
        },
    ],
});
