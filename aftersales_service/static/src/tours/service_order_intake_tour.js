/** @odoo-module **/

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";
import { checkStatus, openServiceOrders } from "./aftersales_tour_utils";

// The serial, the customer and the product the Python test sets up.
const SERIAL = "TOUR-SN-INTAKE";
const CUSTOMER = "Alice Customer";
const PRODUCT = "Espresso Machine";
const WARRANTY_PREFIX = "WAR/";

registry.category("web_tour.tours").add("aftersales_service_order_intake_tour", {
    url: "/odoo",
    steps: () => [
        ...openServiceOrders(),
        {
            content: "Take in a new unit",
            trigger: ".o_control_panel_main_buttons .o-kanban-button-new",
            run: "click",
        },
        {
            content: "Type the serial number of the faulty unit",
            trigger: ".o_field_widget[name=lot_id] input",
            run: `edit ${SERIAL}`,
        },
        {
            content: "Pick the serial",
            trigger: `.o-autocomplete--dropdown-menu .ui-menu-item > a:contains("${SERIAL}")`,
            run: "click",
        },
        {
            content: "The customer of the serial is filled in",
            trigger: `.o_field_widget[name=partner_id] input:value("${CUSTOMER}")`,
        },
        {
            content: "The product of the serial is filled in",
            trigger: `.o_field_widget[name=product_id] input:value("${PRODUCT}")`,
        },
        {
            content: "The warranty in force is filled in",
            trigger: `.o_field_widget[name=warranty_id] input:value("${WARRANTY_PREFIX}")`,
        },
        {
            content: "The unit is covered by its warranty",
            trigger: ".o_field_widget[name=coverage]:contains(Under Warranty)",
        },
        {
            content: "Type the customer's complaint",
            trigger: ".o_field_widget[name=description] textarea",
            run: "edit Leaks water under the boiler",
        },
        ...stepUtils.saveForm(),
        {
            content: "Confirm the order",
            trigger: ".o_statusbar_buttons button[name=action_confirm]",
            run: "click",
        },
        checkStatus("Goods Expected"),
        {
            content: "The order waits for the goods",
            trigger: ".o_form_view .alert-info:contains(Waiting for the goods)",
        },
    ],
});
