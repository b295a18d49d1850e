/** @odoo-module **/

import { registry } from "@web/core/registry";
import { openServiceOrders } from "./aftersales_tour_utils";

// The serials the Python test sets up: the customer's unit, received for
// service, and the loaner in stock.
const SERIAL = "TOUR-SN-LOAN";
const LOANER_SERIAL = "TOUR-LOANER-1";

registry.category("web_tour.tours").add("aftersales_loaner_lend_tour", {
    url: "/odoo",
    steps: () => [
        ...openServiceOrders(),
        {
            content: "Open the order of the received unit",
            trigger: `.o_kanban_record:contains("${SERIAL}")`,
            run: "click",
        },
        {
            content: "Lend a loaner while the unit is in service",
            trigger: ".o_statusbar_buttons button[name=action_open_lend_wizard]",
            run: "click",
        },
        {
            content: "The available loaner is offered",
            trigger: `.modal .o_field_widget[name=loaner_id] input:value("${LOANER_SERIAL}")`,
        },
        {
            content: "Note the condition of the loaner",
            trigger: ".modal .o_field_widget[name=condition_out] textarea",
            run: "edit Like new, with its power cable",
        },
        {
            content: "Lend it",
            trigger: ".modal button[name=action_lend]",
            run: "click",
        },
        {
            content: "The loan opens, waiting for its delivery",
            trigger: `.o_form_view .o_field_widget[name=loaner_id] input:value("${LOANER_SERIAL}")`,
        },
        {
            content: "The loan leaves with a delivery",
            trigger: ".o_form_view .alert-info:contains(The loaner leaves with)",
        },
        {
            content: "Back to the service order",
            trigger: '.o_breadcrumb .breadcrumb-item a:contains("SRV/")',
            run: "click",
        },
        {
            content: "The order shows its loan",
            trigger: ".o_form_view button[name=action_view_loans] .o_stat_value:contains(1)",
        },
    ],
});
